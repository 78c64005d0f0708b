package dev.semlb.classifier;

import dev.semlb.classifier.view.RequestView;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stages in order; the first stage that decides wins, and when none does the request
 * goes to the default pool.
 *
 * <p>Invariant: {@link #classify} always returns a decision. A stage that throws is logged
 * and treated as passing, so one broken stage cannot fail a request. Thread-safe when its
 * stages are; it holds no mutable state.
 */
public final class TieredClassifier implements Classifier {

  private static final Logger log = LoggerFactory.getLogger(TieredClassifier.class);

  private final List<ClassifierStage> stages;
  private final String defaultPool;

  /**
   * @param stages evaluated in list order
   * @param defaultPool used when every stage passes
   */
  public TieredClassifier(List<ClassifierStage> stages, String defaultPool) {
    this.stages = List.copyOf(stages);
    this.defaultPool = Objects.requireNonNull(defaultPool, "defaultPool");
  }

  @Override
  public Decision classify(RequestView request) {
    for (ClassifierStage stage : stages) {
      Optional<Decision> decision;
      try {
        decision = stage.decide(request);
      } catch (RuntimeException | StackOverflowError e) {
        log.warn("stage {} failed for {} {}; passing to the next stage", stage.stage().label(),
            request.method(), request.path(), e);
        continue;
      }
      if (decision.isPresent()) {
        return decision.get();
      }
    }
    return Decision.fallback(defaultPool, "no stage was sure");
  }

  /** The pool used when no stage decides. */
  public String defaultPool() {
    return defaultPool;
  }
}
