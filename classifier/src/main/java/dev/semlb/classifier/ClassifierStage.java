package dev.semlb.classifier;

import dev.semlb.classifier.view.RequestView;

/**
 * One tier of the classification pipeline (rules, embedding, LLM).
 *
 * <p>A stage decides ({@link Outcome#sure}), offers an unsure candidate, or passes. A stage
 * that is unsure must not claim to be sure. It must respect the deadline: give up and pass
 * once it cannot finish in time. Implementations must be thread-safe and must not block a
 * gRPC event-loop thread (callers run them on request-handling threads).
 */
public interface ClassifierStage {

  /** Which tier this is; used in decisions and metrics. */
  Stage stage();

  /** Classifies {@code request} within {@code deadline}. */
  Outcome decide(RequestView request, Deadline deadline);
}
