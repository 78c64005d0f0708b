package dev.semlb.classifier;

import dev.semlb.classifier.view.RequestView;
import java.util.concurrent.CompletableFuture;

/**
 * One tier of the classification pipeline (rules, decision head, embedding, LLM).
 *
 * <p>A stage decides ({@link Outcome#sure}), offers an unsure candidate, or passes. A stage that is
 * unsure must not claim to be sure. It must respect the deadline: give up and pass once it cannot
 * finish in time. Implementations must be thread-safe.
 *
 * <p>Two forms: {@link #decideAsync} is what the pipeline calls. Cheap stages (rules) implement
 * {@link #decide} and get the asynchronous form for free; stages that call a model implement {@link
 * #decideAsync} (the model call runs on a bounded executor, its future completes by the deadline,
 * and no thread waits for it) and answer {@link #decide} by waiting on it.
 */
public interface ClassifierStage {

  /** Which tier this is; used in decisions and metrics. */
  Stage stage();

  /** Classifies {@code request} within {@code deadline}, on the calling thread. */
  Outcome decide(RequestView request, Deadline deadline);

  /**
   * Classifies {@code request} within {@code deadline}. The future completes by the deadline (with
   * a pass if the stage could not finish); it may complete exceptionally if the stage failed. The
   * default runs {@link #decide} on the calling thread.
   */
  default CompletableFuture<Outcome> decideAsync(RequestView request, Deadline deadline) {
    return CompletableFuture.completedFuture(decide(request, deadline));
  }

  /**
   * Waits for an asynchronous outcome until {@code deadline}; a pass if it is not there by then.
   */
  static Outcome await(CompletableFuture<Outcome> outcome, Deadline deadline) {
    try {
      return outcome
          .completeOnTimeout(
              Outcome.pass(),
              Math.max(0, deadline.remainingNanos()),
              java.util.concurrent.TimeUnit.NANOSECONDS)
          .join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }
}
