package dev.semlb.classifier.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.semlb.classifier.Classifier;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.RequestView;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversation stickiness around a classifier: a request with a session key ({@link SessionKeys})
 * keeps the pool its session's first request was routed to, unless its meaning changes strongly.
 *
 * <p>Every request is classified as without stickiness first; then, for a request with a session:
 *
 * <ul>
 *   <li>a new session starts on the pool the classifier chose (the first decision is always
 *       semlb's; a client cannot name a pool);
 *   <li>a decision of the rules or the measured stage (or a model named by the request) wins and
 *       moves the session to its pool: rules always win;
 *   <li>a model stage (head, examples, LLM, or their cached decision) that chose another pool with
 *       confidence at least {@code switchProbability} moves the session: stage {@link
 *       Stage#STICKY}, reason {@code "sticky: switched to chat (head 0.95); ..."};
 *   <li>anything else (another pool with less confidence, an unsure fallback) stays on the
 *       session's pool: stage {@link Stage#STICKY}, reason {@code "sticky: session kept on code (3
 *       turns); ..."};
 *   <li>a decision for the session's own pool is returned unchanged.
 * </ul>
 *
 * <p>Sessions live in a bounded Caffeine cache ({@code maxSessions}, least recently used evicted)
 * and expire {@code ttl} after their last turn. The key is kept only as a salted digest.
 * Thread-safe: each session is updated atomically ({@code ConcurrentMap.compute}); the wrapped
 * classifier must be thread-safe. Like every classifier it always gives a decision.
 */
public final class StickyClassifier implements Classifier {

  private static final Logger log = LoggerFactory.getLogger(StickyClassifier.class);

  /** Stages whose decisions always win over a session (explicit configuration, not a guess). */
  private static final Set<Stage> ALWAYS_WIN =
      Set.of(Stage.RULES, Stage.MEASURED, Stage.MODEL, Stage.ENVOY_ROUTE);

  /** Stages that guess by meaning; they move a session only when very sure. */
  private static final Set<Stage> MODEL_STAGES =
      Set.of(Stage.HEAD, Stage.EMBEDDING, Stage.LLM, Stage.CACHE);

  /** What is remembered of one session. Immutable. */
  record Session(String pool, double confidence, int turns) {}

  private final Classifier inner;
  private final StickinessSettings settings;
  private final SessionKeys keys;
  private final Cache<SessionKeys.Id, Session> sessions;

  /**
   * @param inner the classifier whose decisions are kept or overridden
   * @param settings must be enabled
   * @param ticker the time source of session expiry
   */
  public StickyClassifier(Classifier inner, StickinessSettings settings, Ticker ticker) {
    this(inner, settings, ticker, new SessionKeys(settings));
  }

  StickyClassifier(Classifier inner, StickinessSettings settings, Ticker ticker, SessionKeys keys) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.sessions =
        Caffeine.newBuilder()
            .maximumSize(settings.maxSessions())
            .expireAfterWrite(settings.ttl())
            .ticker(ticker)
            .executor(Runnable::run)
            .build();
  }

  @Override
  public Decision classify(RequestView request) {
    return classifyAsync(request).join();
  }

  @Override
  public CompletableFuture<Decision> classifyAsync(RequestView request) {
    SessionKeys.Id id;
    try {
      id = keys.of(request);
    } catch (RuntimeException e) {
      log.warn("session key unreadable; routing without stickiness", e);
      id = null;
    }
    if (id == null) {
      return inner.classifyAsync(request);
    }
    SessionKeys.Id session = id;
    return inner.classifyAsync(request).thenApply(decision -> stick(session, decision));
  }

  /** The decision for a request of {@code session} that the classifier decided as {@code d}. */
  Decision stick(SessionKeys.Id session, Decision d) {
    try {
      Decision[] out = {d};
      sessions
          .asMap()
          .compute(
              session,
              (k, before) -> {
                Session after = next(before, d);
                out[0] = explain(before, after, d);
                return after;
              });
      if (log.isDebugEnabled() && out[0] != d) {
        log.debug("{}: {}", session, out[0].reason());
      }
      return out[0];
    } catch (RuntimeException e) {
      log.warn("{}: stickiness failed; using the classifier's decision", session, e);
      return d;
    }
  }

  private Session next(Session before, Decision d) {
    if (before == null) {
      return new Session(d.pool(), d.confidence(), 1);
    }
    if (d.pool().equals(before.pool())) {
      return new Session(
          before.pool(), Math.max(before.confidence(), d.confidence()), turns(before));
    }
    if (switches(d)) {
      return new Session(d.pool(), d.confidence(), 1);
    }
    return new Session(before.pool(), before.confidence(), turns(before));
  }

  private static int turns(Session before) {
    return before.turns() == Integer.MAX_VALUE ? Integer.MAX_VALUE : before.turns() + 1;
  }

  private boolean switches(Decision d) {
    return ALWAYS_WIN.contains(d.stage())
        || MODEL_STAGES.contains(d.stage())
            && d.confidence() >= settings.switchProbability()
            && !d.reason().contains("budget spent"); // an unsure guess, whatever its score
  }

  private static Decision explain(Session before, Session after, Decision d) {
    if (before == null || d.pool().equals(before.pool())) {
      return d;
    }
    if (ALWAYS_WIN.contains(d.stage())) {
      return new Decision(
          d.pool(),
          d.confidence(),
          d.stage(),
          d.reason() + "; sticky: session moved from " + before.pool());
    }
    if (after.pool().equals(d.pool())) {
      return new Decision(
          d.pool(),
          d.confidence(),
          Stage.STICKY,
          String.format(
              Locale.ROOT,
              "sticky: switched to %s (%s %.2f); %s",
              d.pool(),
              d.stage().label(),
              d.confidence(),
              d.reason()));
    }
    return new Decision(
        after.pool(),
        after.confidence(),
        Stage.STICKY,
        String.format(
            Locale.ROOT,
            "sticky: session kept on %s (%d turns); %s said %s %.2f",
            after.pool(),
            after.turns(),
            d.stage().label(),
            d.pool(),
            d.confidence()));
  }

  /** Sessions remembered now (approximate). */
  public long sessions() {
    sessions.cleanUp();
    return sessions.estimatedSize();
  }

  /** The classifier this one wraps. */
  public Classifier inner() {
    return inner;
  }
}
