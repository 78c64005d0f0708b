package dev.semlb.classifier.cost;

import dev.semlb.classifier.ClassifierStage;
import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Outcome;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.RequestView;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides the pool of a request shape from what its requests measurably cost upstream: once a key
 * has {@code minSamples} successful requests in the window, the first pool whose cost class holds
 * gets it. Runs after the rules (it never overrides one) and before the cache and the model stages
 * (so a cached or learned guess does not keep an expensive key in a fast pool).
 *
 * <p>Hysteresis: a key that is in a class stays there until its cost leaves the class's bound
 * widened by {@code hysteresis} (e.g. {@code p50 <= 25ms} with 0.25 is left above 31.25 ms); a key
 * enters a class only inside its exact bound. A key with too few samples, too many errors, or a
 * cost between the classes passes to the next stage.
 *
 * <p>Cost is the upstream's own {@code server-timing} when it reports one, else the upstream time
 * (see {@link CostSample#costMillis}); with a low quantile in the class (e.g. {@code p25}) queueing
 * in a busy pool moves keys less. Cheap on the request path: one map lookup and a few comparisons.
 * Thread-safe.
 */
public final class MeasuredStage implements ClassifierStage {

  private final CostStats stats;
  private final MeasuredSettings settings;

  /**
   * @param stats the measured costs (shared with the feedback receiver)
   * @param settings the classes and thresholds
   */
  public MeasuredStage(CostStats stats, MeasuredSettings settings) {
    this.stats = Objects.requireNonNull(stats, "stats");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public Stage stage() {
    return Stage.MEASURED;
  }

  @Override
  public Outcome decide(RequestView request, Deadline deadline) {
    KeyCost cost = stats.get(CostKey.of(request)).orElse(null);
    if (cost == null) {
      return Outcome.pass();
    }
    CostSnapshot snapshot = cost.recent(stats.now());
    CostClass chosen = choose(snapshot, cost.verdict());
    cost.verdict(chosen == null ? null : chosen.pool());
    if (chosen == null) {
      return Outcome.pass();
    }
    double value = snapshot.quantile(chosen.quantile());
    return Outcome.sure(
        new Decision(
            chosen.pool(),
            confidence(snapshot.count()),
            Stage.MEASURED,
            String.format(
                Locale.ROOT,
                "measured: %s %s ms over %d requests (class %s)",
                chosen.quantileLabel(),
                millis(value),
                snapshot.count(),
                chosen)));
  }

  /** The class for a key's snapshot given the pool it was in, or null to leave it to others. */
  CostClass choose(CostSnapshot snapshot, String verdict) {
    if (snapshot.count() < settings.minSamples()
        || snapshot.errorRate() > settings.maxErrorRate()) {
      return null;
    }
    CostClass current = verdict == null ? null : settings.classOf(verdict);
    if (current != null
        && current.holds(snapshot.quantile(current.quantile()), settings.hysteresis())) {
      return current;
    }
    for (CostClass c : settings.classes()) {
      if (c.holds(snapshot.quantile(c.quantile()), 0)) {
        return c;
      }
    }
    return null;
  }

  /** More samples, more confidence: 0.8 at the threshold, approaching 0.99. */
  private double confidence(long count) {
    double extra = Math.min(1.0, (double) (count - settings.minSamples()) / settings.minSamples());
    return Math.min(0.99, 0.8 + 0.19 * Math.max(0, extra));
  }

  private static String millis(double value) {
    return value >= 10
        ? Long.toString(Math.round(value))
        : String.format(Locale.ROOT, "%.1f", value);
  }
}
