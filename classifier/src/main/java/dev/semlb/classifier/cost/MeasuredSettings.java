package dev.semlb.classifier.cost;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the measured stage decides from costs: the pools' cost classes, how much evidence a key
 * needs, and the hysteresis that keeps a key from flapping between pools. Immutable.
 *
 * @param enabled whether the stage runs
 * @param minSamples successful requests in the window a key needs before it is decided on
 * @param maxErrorRate keys failing more often than this are left to the other stages (their timings
 *     say little), in {@code [0, 1]}
 * @param hysteresis how far (as a fraction of the bound) a key's cost must cross back before it
 *     leaves the class it is in, in {@code [0, 1)}
 * @param classes the cost classes, at most one per pool, tried in order
 * @param sampling how much feedback Envoy sends for keys with plenty of evidence (applies whether
 *     or not the stage runs: the costs are collected for the dashboard either way)
 */
public record MeasuredSettings(
    boolean enabled,
    int minSamples,
    double maxErrorRate,
    double hysteresis,
    List<CostClass> classes,
    FeedbackSampling sampling) {

  /** The default evidence threshold. */
  public static final int DEFAULT_MIN_SAMPLES = 20;

  /** The default hysteresis. */
  public static final double DEFAULT_HYSTERESIS = 0.25;

  /** The default error-rate limit. */
  public static final double DEFAULT_MAX_ERROR_RATE = 0.5;

  /** The stage is off. */
  public static final MeasuredSettings OFF =
      new MeasuredSettings(
          false, DEFAULT_MIN_SAMPLES, DEFAULT_MAX_ERROR_RATE, DEFAULT_HYSTERESIS, List.of());

  /** With the default sampling ({@link FeedbackSampling#DEFAULT}). */
  public MeasuredSettings(
      boolean enabled,
      int minSamples,
      double maxErrorRate,
      double hysteresis,
      List<CostClass> classes) {
    this(enabled, minSamples, maxErrorRate, hysteresis, classes, FeedbackSampling.DEFAULT);
  }

  /** Checks the fields. */
  public MeasuredSettings {
    classes = List.copyOf(classes);
    Objects.requireNonNull(sampling, "sampling");
    if (sampling.fullUntil() < minSamples) {
      throw new IllegalArgumentException(
          "sampling.fullUntil: "
              + sampling.fullUntil()
              + " (expected: >= minSamples, "
              + minSamples
              + ", so a key reaches its evidence threshold in full)");
    }
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples: " + minSamples + " (expected: >= 1)");
    }
    if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
      throw new IllegalArgumentException(
          "maxErrorRate: " + maxErrorRate + " (expected: 0 <= maxErrorRate <= 1)");
    }
    if (!(hysteresis >= 0 && hysteresis < 1)) {
      throw new IllegalArgumentException(
          "hysteresis: " + hysteresis + " (expected: 0 <= hysteresis < 1)");
    }
    Set<String> pools = new HashSet<>();
    for (CostClass c : classes) {
      if (!pools.add(c.pool())) {
        throw new IllegalArgumentException(
            "classes: '" + c.pool() + "' twice (expected: one class per pool)");
      }
    }
    if (enabled && classes.isEmpty()) {
      throw new IllegalArgumentException("classes: none (expected: at least one when enabled)");
    }
  }

  /** The class of {@code pool}, or null. */
  public CostClass classOf(String pool) {
    for (CostClass c : classes) {
      if (Objects.equals(c.pool(), pool)) {
        return c;
      }
    }
    return null;
  }
}
