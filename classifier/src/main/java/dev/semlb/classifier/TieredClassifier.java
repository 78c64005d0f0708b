package dev.semlb.classifier;

import dev.semlb.classifier.view.RequestView;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tiered pipeline: {@code first} stages (rules), then the decision cache, then the {@code
 * later} stages (decision head, embedding, LLM), then the default pool.
 *
 * <p>The first stage that is sure decides. Sure decisions of later stages are cached (rules are
 * cheaper than a lookup; fallbacks are never cached). The whole pipeline has a time budget: when it
 * runs out, the request gets the most confident unsure candidate seen so far, or else the default
 * pool.
 *
 * <p>Later stages are composed asynchronously ({@link ClassifierStage#decideAsync}): model calls
 * run on their stages' bounded executors, the next stage starts where the previous one completed,
 * and no thread parks waiting for another. The result completes by the deadline whatever the stages
 * do.
 *
 * <p>Invariant: {@link #classify} and {@link #classifyAsync} always give a decision. A stage that
 * throws or fails is logged and treated as passing. Thread-safe when its stages and cache are; it
 * holds no mutable state of its own.
 */
public final class TieredClassifier implements Classifier {

  private static final Logger log = LoggerFactory.getLogger(TieredClassifier.class);

  private final List<ClassifierStage> first;
  private final DecisionCache cache;
  private final List<ClassifierStage> later;
  private final String defaultPool;
  private final Duration budget;

  /**
   * @param first stages before the cache, in order (typically rules)
   * @param cache decision cache, or {@link DecisionCache#NONE}
   * @param later stages after the cache, in order (decision head, embedding, LLM)
   * @param defaultPool used when no stage decides
   * @param budget total time for one request
   */
  public TieredClassifier(
      List<ClassifierStage> first,
      DecisionCache cache,
      List<ClassifierStage> later,
      String defaultPool,
      Duration budget) {
    this.first = List.copyOf(first);
    this.cache = Objects.requireNonNull(cache, "cache");
    this.later = List.copyOf(later);
    this.defaultPool = Objects.requireNonNull(defaultPool, "defaultPool");
    this.budget = Objects.requireNonNull(budget, "budget");
  }

  /** A pipeline of {@code stages} with no cache and an effectively unlimited budget. */
  public TieredClassifier(List<ClassifierStage> stages, String defaultPool) {
    this(stages, DecisionCache.NONE, List.of(), defaultPool, Duration.ofDays(1));
  }

  @Override
  public Decision classify(RequestView request) {
    return classifyAsync(request).join();
  }

  /**
   * Rules and the cache run on the calling thread (microseconds); the later stages are chained on
   * their futures. The future never completes exceptionally.
   */
  @Override
  public CompletableFuture<Decision> classifyAsync(RequestView request) {
    Deadline deadline = Deadline.in(budget);
    AtomicReference<Decision> best = new AtomicReference<>();
    for (ClassifierStage stage : first) {
      Outcome outcome = run(stage, request, deadline);
      if (outcome.sure()) {
        return CompletableFuture.completedFuture(outcome.decision());
      }
      keepBetter(best, outcome.decision());
    }
    Optional<Decision> cached = cache.get(request);
    if (cached.isPresent()) {
      return CompletableFuture.completedFuture(cached.get());
    }
    if (later.isEmpty()) {
      return CompletableFuture.completedFuture(fallback(best.get(), deadline));
    }
    return later(request, deadline, 0, best)
        .completeOnTimeout(null, Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS)
        .thenApply(decision -> decision != null ? decision : timedOut(best.get()));
  }

  /** Stage {@code index} and, unless it is sure, the ones after it. */
  private CompletableFuture<Decision> later(
      RequestView request, Deadline deadline, int index, AtomicReference<Decision> best) {
    if (deadline.expired()) {
      return CompletableFuture.completedFuture(timedOut(best.get()));
    }
    if (index == later.size()) {
      return CompletableFuture.completedFuture(fallback(best.get(), deadline));
    }
    ClassifierStage stage = later.get(index);
    CompletableFuture<Outcome> outcome;
    try {
      outcome = stage.decideAsync(request, deadline);
    } catch (RuntimeException | StackOverflowError e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    return outcome
        .exceptionally(e -> failed(stage, request, e))
        .thenCompose(
            o -> {
              Outcome result = o == null ? Outcome.pass() : o;
              if (result.sure()) {
                cache.put(request, result.decision());
                return CompletableFuture.completedFuture(result.decision());
              }
              keepBetter(best, result.decision());
              return later(request, deadline, index + 1, best);
            });
  }

  private Decision fallback(Decision best, Deadline deadline) {
    if (deadline.expired()) {
      return timedOut(best);
    }
    return Decision.fallback(
        defaultPool,
        best == null
            ? "no stage was sure"
            : "no stage was sure (best guess "
                + best.pool()
                + " at "
                + String.format(Locale.ROOT, "%.2f", best.confidence())
                + ")");
  }

  private Decision timedOut(Decision best) {
    if (best != null) {
      return new Decision(
          best.pool(),
          best.confidence(),
          best.stage(),
          best.reason() + "; budget spent, best guess");
    }
    return Decision.fallback(defaultPool, "budget spent");
  }

  private static Outcome run(ClassifierStage stage, RequestView request, Deadline deadline) {
    try {
      Outcome outcome = stage.decide(request, deadline);
      return outcome == null ? Outcome.pass() : outcome;
    } catch (RuntimeException | StackOverflowError e) {
      return failed(stage, request, e);
    }
  }

  private static Outcome failed(ClassifierStage stage, RequestView request, Throwable e) {
    Throwable cause =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    log.warn(
        "stage {} failed for {} {}; passing to the next stage",
        stage.stage().label(),
        request.method(),
        request.path(),
        cause);
    return Outcome.pass();
  }

  private static void keepBetter(AtomicReference<Decision> best, Decision candidate) {
    if (candidate != null) {
      best.accumulateAndGet(
          candidate, (a, b) -> a == null || b.confidence() > a.confidence() ? b : a);
    }
  }

  /** The pool used when no stage decides. */
  public String defaultPool() {
    return defaultPool;
  }
}
