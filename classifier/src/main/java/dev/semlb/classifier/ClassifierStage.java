package dev.semlb.classifier;

import dev.semlb.classifier.view.RequestView;
import java.util.Optional;

/**
 * One tier of the classification pipeline (rules, cache, embedding, LLM).
 *
 * <p>A stage either decides, returning a {@link Decision}, or passes, returning empty so
 * the next tier gets the request. A stage that is unsure must pass rather than guess.
 * Implementations must be thread-safe.
 */
public interface ClassifierStage {

  /** Which tier this is; used in decisions and metrics. */
  Stage stage();

  /** Decides for {@code request}, or returns empty to pass it on. */
  Optional<Decision> decide(RequestView request);
}
