package dev.semlb.xds.pools;

import java.util.Objects;

/**
 * A pool's request rate limit: a token bucket that Envoy keeps (its local rate limit filter), one
 * bucket per Envoy process, shared by every route that leads to the pool. The bucket holds at most
 * {@code burst} tokens and starts full; it refills continuously at {@code requests} per {@code
 * per}; each request takes one token, and a request that finds none is answered 429 at once,
 * without reaching the pool. Immutable.
 *
 * @param requests tokens added per {@code per}, 1..{@value #MAX}
 * @param per the time unit of {@code requests}
 * @param burst bucket size: how many requests may pass at once after a quiet spell, 1..{@value
 *     #MAX}
 */
public record RateLimit(int requests, Per per, int burst) {

  /** The largest rate and burst accepted (Envoy's bucket counts in 32 bits; this is far below). */
  public static final int MAX = 1_000_000;

  /** The time unit of a rate. */
  public enum Per {
    /** {@code requestsPerSecond}. */
    SECOND(1, "requestsPerSecond"),
    /** {@code requestsPerMinute}. */
    MINUTE(60, "requestsPerMinute");

    private final int seconds;
    private final String key;

    Per(int seconds, String key) {
      this.seconds = seconds;
      this.key = key;
    }

    /** The unit's length in seconds. */
    public int seconds() {
      return seconds;
    }

    /** The config key that gives a rate in this unit, e.g. {@code requestsPerSecond}. */
    public String key() {
      return key;
    }
  }

  /** Validates the fields. */
  public RateLimit {
    Objects.requireNonNull(per, "per");
    if (requests < 1 || requests > MAX) {
      throw new IllegalArgumentException(
          "rateLimit." + per.key() + ": " + requests + " (expected: 1.." + MAX + ")");
    }
    if (burst < 1 || burst > MAX) {
      throw new IllegalArgumentException(
          "rateLimit.burst: " + burst + " (expected: 1.." + MAX + ")");
    }
  }

  /**
   * A limit from API input: exactly one of {@code perSecond} and {@code perMinute}; {@code burst}
   * (null: the rate itself).
   *
   * @throws IllegalArgumentException naming the field, the value and what was expected
   */
  public static RateLimit of(Long perSecond, Long perMinute, Long burst) {
    if ((perSecond == null) == (perMinute == null)) {
      throw new IllegalArgumentException(
          "rateLimit: "
              + (perSecond == null ? "neither " : "both ")
              + Per.SECOND.key()
              + (perSecond == null ? " nor " : " and ")
              + Per.MINUTE.key()
              + " (expected: exactly one of them)");
    }
    Per per = perSecond != null ? Per.SECOND : Per.MINUTE;
    long requests = perSecond != null ? perSecond : perMinute;
    return new RateLimit(
        bounded(per.key(), requests), per, bounded("burst", burst == null ? requests : burst));
  }

  private static int bounded(String field, long value) {
    if (value < 1 || value > MAX) {
      throw new IllegalArgumentException(
          "rateLimit." + field + ": " + value + " (expected: 1.." + MAX + ")");
    }
    return (int) value;
  }

  /**
   * The seconds a client should wait after a 429: how long the bucket takes to refill one token,
   * rounded up (so at least 1). Sent as {@code retry-after}.
   */
  public int retryAfterSeconds() {
    return Math.max(1, (per.seconds() + requests - 1) / requests);
  }

  @Override
  public String toString() {
    return requests + " per " + per.name().toLowerCase(java.util.Locale.ROOT) + ", burst " + burst;
  }
}
