package dev.semlb.xds.pools;

/**
 * Envoy's circuit breakers for a pool's cluster: past these limits Envoy answers 503 at once
 * instead of queueing, so a saturated pool cannot hold requests hostage. Immutable. The defaults
 * are Envoy's own (1024 each, 3 retries).
 *
 * @param maxConnections upstream connections (HTTP/1)
 * @param maxPendingRequests requests waiting for a connection
 * @param maxRequests requests in flight
 * @param maxRetries retries in flight
 */
public record CircuitBreakers(
    int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {

  /** Envoy's defaults. */
  public static final CircuitBreakers DEFAULT = new CircuitBreakers(1024, 1024, 1024, 3);

  /** Validates the fields. */
  public CircuitBreakers {
    check("maxConnections", maxConnections);
    check("maxPendingRequests", maxPendingRequests);
    check("maxRequests", maxRequests);
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries: " + maxRetries + " (expected: >= 0)");
    }
  }

  private static void check(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: >= 1)");
    }
  }
}
