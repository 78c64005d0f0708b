package dev.semlb.classifier.cost;

import java.util.Map;

/**
 * What is known of one request shape's cost at one moment. Immutable (the quantile array is never
 * changed after construction; {@link #quantile} reads it).
 *
 * @param key the {@link CostKey}
 * @param count successful requests in the window that have a cost
 * @param errors failed requests (no response or 5xx) in the window
 * @param total every request ever recorded for the key
 * @param quantilesMillis the cost at each of {@link CostClass#QUANTILES}, NaN when count is 0
 * @param firstPool the pool of the first request recorded, before any measured decision
 * @param pools requests recorded per pool (all time, at most 16 pools)
 * @param verdict the pool the measured stage chose for the key, or empty
 * @param periodStartNanos when the window's current period began (nanoTime)
 */
public record CostSnapshot(
    String key,
    long count,
    long errors,
    long total,
    double[] quantilesMillis,
    String firstPool,
    Map<String, Long> pools,
    String verdict,
    long periodStartNanos) {

  /** The cost at {@code q}, one of {@link CostClass#QUANTILES}; NaN with no samples. */
  public double quantile(double q) {
    int i = CostClass.QUANTILES.indexOf(q);
    if (i < 0) {
      throw new IllegalArgumentException(
          "quantile: " + q + " (expected: one of " + CostClass.QUANTILES + ")");
    }
    return quantilesMillis[i];
  }

  /** Errors over all requests in the window, 0 with none. */
  public double errorRate() {
    long all = count + errors;
    return all == 0 ? 0 : (double) errors / all;
  }

  /** Whether the measured stage moved the key away from the pool it first went to. */
  public boolean moved() {
    return !verdict.isEmpty() && !firstPool.isEmpty() && !verdict.equals(firstPool);
  }
}
