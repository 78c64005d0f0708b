package dev.semlb.classifier.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * The decision cache. Immutable. The default is on, 10,000 entries, 10 minutes.
 *
 * @param enabled whether decisions of the model stages are cached
 * @param maxEntries at most this many decisions, at least 1
 * @param ttl each kept this long after it was made, more than 0
 */
public record CacheSettings(boolean enabled, long maxEntries, Duration ttl) {

  /** The defaults. */
  public static final CacheSettings DEFAULTS =
      new CacheSettings(true, 10_000, Duration.ofMinutes(10));

  /** Validates the fields. */
  public CacheSettings {
    Objects.requireNonNull(ttl, "ttl");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
    }
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
    }
  }
}
