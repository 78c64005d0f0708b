package dev.semlb.xds.pools;

import java.time.Duration;
import java.util.Objects;

/**
 * How Envoy retries a pool's requests. Every request is retried when the upstream could not be
 * reached at all (connect failure, refused stream): it never got there, so a retry is safe.
 * Idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE) are also retried after a reset or a
 * 502/503/504. Retries go to another endpoint and, once a priority has failed, to the next priority
 * (the fallback pools). Immutable.
 *
 * @param attempts retries after the first try; 0 turns retries off. The default is 2
 * @param perTryTimeout timeout of each try, or {@link Duration#ZERO} for the route timeout
 */
public record RetryPolicy(int attempts, Duration perTryTimeout) {

  /** The default: two retries, no per-try timeout. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(2, Duration.ZERO);

  /** Validates the fields. */
  public RetryPolicy {
    Objects.requireNonNull(perTryTimeout, "perTryTimeout");
    if (attempts < 0 || attempts > 10) {
      throw new IllegalArgumentException("attempts: " + attempts + " (expected: 0..10)");
    }
    if (perTryTimeout.isNegative()) {
      throw new IllegalArgumentException("perTryTimeout: " + perTryTimeout + " (expected: >= 0)");
    }
  }
}
