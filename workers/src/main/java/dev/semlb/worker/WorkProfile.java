package dev.semlb.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * The simulated cost of one request: a fixed latency plus uniform random jitter, optional CPU burn,
 * and a cap on requests processed at once (more wait in a queue, as on a busy model server).
 * Immutable. The default is no delay, no burn and no cap.
 *
 * @param latency fixed time each request takes, at least 0
 * @param jitter up to this much extra time, uniformly random, at least 0
 * @param cpuBurn CPU time spent per request (busy loop), at least 0
 * @param maxConcurrency requests processed at once; 0 means no cap
 * @param costHeader when a request carries this header with a number of milliseconds, that is its
 *     latency instead of {@code latency} (benchmarks use it to model request kinds of different
 *     cost on shared workers); null to ignore
 */
public record WorkProfile(
    Duration latency, Duration jitter, Duration cpuBurn, int maxConcurrency, String costHeader) {

  /** Answers at once. */
  public static final WorkProfile NONE =
      new WorkProfile(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);

  /** A profile that ignores per-request cost headers. */
  public WorkProfile(Duration latency, Duration jitter, Duration cpuBurn, int maxConcurrency) {
    this(latency, jitter, cpuBurn, maxConcurrency, null);
  }

  /** Validates the fields. */
  public WorkProfile {
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(jitter, "jitter");
    Objects.requireNonNull(cpuBurn, "cpuBurn");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency: " + latency + " (expected: >= 0)");
    }
    if (jitter.isNegative()) {
      throw new IllegalArgumentException("jitter: " + jitter + " (expected: >= 0)");
    }
    if (cpuBurn.isNegative()) {
      throw new IllegalArgumentException("cpuBurn: " + cpuBurn + " (expected: >= 0)");
    }
    if (maxConcurrency < 0) {
      throw new IllegalArgumentException("maxConcurrency: " + maxConcurrency + " (expected: >= 0)");
    }
  }
}
