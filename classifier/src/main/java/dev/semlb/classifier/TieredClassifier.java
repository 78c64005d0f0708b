package dev.semlb.classifier;

import dev.semlb.classifier.view.RequestView;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tiered pipeline: {@code first} stages (rules), then the decision cache, then the
 * {@code later} stages (embedding, LLM), then the default pool.
 *
 * <p>The first stage that is sure decides. Sure decisions of later stages are cached (rules
 * are cheaper than a lookup; fallbacks are never cached). The whole pipeline has a time
 * budget: when it runs out, the request gets the most confident unsure candidate seen so
 * far, or else the default pool.
 *
 * <p>Invariant: {@link #classify} always returns a decision. A stage that throws is logged
 * and treated as passing. Thread-safe when its stages and cache are; it holds no mutable
 * state of its own.
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
   * @param later stages after the cache, in order (embedding, LLM)
   * @param defaultPool used when no stage decides
   * @param budget total time for one request
   */
  public TieredClassifier(List<ClassifierStage> first, DecisionCache cache, List<ClassifierStage> later,
      String defaultPool, Duration budget) {
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
    Deadline deadline = Deadline.in(budget);
    Early early = early(request, deadline);
    return early.decided != null ? early.decided : later(request, deadline, early.best);
  }

  /**
   * Rules and the cache run on the calling thread (microseconds); only a request that needs
   * the model stages is handed to {@code slow}. If {@code slow} refuses it (queue full), the
   * request gets the best guess so far or the default pool at once.
   */
  @Override
  public CompletableFuture<Decision> classifyAsync(RequestView request, Executor slow) {
    Deadline deadline = Deadline.in(budget);
    Early early = early(request, deadline);
    if (early.decided != null) {
      return CompletableFuture.completedFuture(early.decided);
    }
    if (later.isEmpty()) {
      return CompletableFuture.completedFuture(later(request, deadline, early.best));
    }
    try {
      return CompletableFuture.supplyAsync(() -> later(request, deadline, early.best), slow);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(timedOut(early.best));
    }
  }

  /** What the cheap stages and the cache made of a request. */
  private record Early(Decision decided, Decision best) {}

  private Early early(RequestView request, Deadline deadline) {
    Decision best = null;
    for (ClassifierStage stage : first) {
      Outcome outcome = run(stage, request, deadline);
      if (outcome.sure()) {
        return new Early(outcome.decision(), null);
      }
      best = better(best, outcome.decision());
    }
    Optional<Decision> cached = cache.get(request);
    return new Early(cached.orElse(null), best);
  }

  private Decision later(RequestView request, Deadline deadline, Decision bestSoFar) {
    Decision best = bestSoFar;
    for (ClassifierStage stage : later) {
      if (deadline.expired()) {
        return timedOut(best);
      }
      Outcome outcome = run(stage, request, deadline);
      if (outcome.sure()) {
        cache.put(request, outcome.decision());
        return outcome.decision();
      }
      best = better(best, outcome.decision());
    }
    if (deadline.expired()) {
      return timedOut(best);
    }
    return Decision.fallback(defaultPool, best == null ? "no stage was sure"
        : "no stage was sure (best guess " + best.pool() + " at " + String.format("%.2f", best.confidence()) + ")");
  }

  private Decision timedOut(Decision best) {
    if (best != null) {
      return new Decision(best.pool(), best.confidence(), best.stage(), best.reason() + "; budget spent, best guess");
    }
    return Decision.fallback(defaultPool, "budget spent");
  }

  private static Outcome run(ClassifierStage stage, RequestView request, Deadline deadline) {
    try {
      Outcome outcome = stage.decide(request, deadline);
      return outcome == null ? Outcome.pass() : outcome;
    } catch (RuntimeException | StackOverflowError e) {
      log.warn("stage {} failed for {} {}; passing to the next stage", stage.stage().label(),
          request.method(), request.path(), e);
      return Outcome.pass();
    }
  }

  private static Decision better(Decision best, Decision candidate) {
    if (candidate == null) {
      return best;
    }
    return best == null || candidate.confidence() > best.confidence() ? candidate : best;
  }

  /** The pool used when no stage decides. */
  public String defaultPool() {
    return defaultPool;
  }
}
