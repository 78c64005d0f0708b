package dev.semlb.xds.pools;

import java.time.Duration;

/**
 * Passive ejection of failing endpoints by Envoy's outlier detection. Connection failures (local
 * origin) and 5xx answers (external origin) are counted apart. Immutable.
 *
 * @param consecutive5xx 5xx answers in a row before ejection. The default is 5
 * @param consecutiveLocalFailures connect failures, resets and timeouts in a row before ejection.
 *     The default is 2
 * @param interval how often ejections are evaluated. The default is 1s
 * @param baseEjectionTime how long the first ejection lasts (grows with repeats). The default is 5s
 * @param maxEjectionPercent the most of a pool that may be ejected at once. The default is 100, so
 *     a pool that is down entirely fails over to its fallback
 */
public record OutlierDetection(
    int consecutive5xx,
    int consecutiveLocalFailures,
    Duration interval,
    Duration baseEjectionTime,
    int maxEjectionPercent) {

  /** The default. */
  public static final OutlierDetection DEFAULT =
      new OutlierDetection(5, 2, Duration.ofSeconds(1), Duration.ofSeconds(5), 100);

  /** Validates the fields. */
  public OutlierDetection {
    Positive.check("interval", interval);
    Positive.check("baseEjectionTime", baseEjectionTime);
    if (consecutive5xx < 1) {
      throw new IllegalArgumentException("consecutive5xx: " + consecutive5xx + " (expected: >= 1)");
    }
    if (consecutiveLocalFailures < 1) {
      throw new IllegalArgumentException(
          "consecutiveLocalFailures: " + consecutiveLocalFailures + " (expected: >= 1)");
    }
    if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
      throw new IllegalArgumentException(
          "maxEjectionPercent: " + maxEjectionPercent + " (expected: 0..100)");
    }
  }
}
