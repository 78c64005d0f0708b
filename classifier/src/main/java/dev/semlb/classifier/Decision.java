package dev.semlb.classifier;

import java.util.Objects;

/**
 * The outcome of classifying one request: which pool serves it, how sure the deciding stage was,
 * which stage decided, and a short human-readable reason.
 *
 * <p>Immutable. The reason never contains request body text, so a decision can be logged and
 * exported as is.
 *
 * @param pool the pool name; never blank
 * @param confidence in {@code [0, 1]}
 * @param stage the deciding stage
 * @param reason short explanation, e.g. {@code "rule 'health-checks'"}
 */
public record Decision(String pool, double confidence, Stage stage, String reason) {

  /** Validates every field. */
  public Decision {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reason, "reason");
    if (pool.isBlank()) {
      throw new IllegalArgumentException("pool: '' (expected: a pool name)");
    }
    if (!(confidence >= 0.0 && confidence <= 1.0)) {
      throw new IllegalArgumentException(
          "confidence: " + confidence + " (expected: 0 <= confidence <= 1)");
    }
  }

  /** A decision that records the default pool was used because {@code why}. */
  public static Decision fallback(String defaultPool, String why) {
    return new Decision(defaultPool, 0.0, Stage.DEFAULT, why);
  }
}
