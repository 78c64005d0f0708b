package dev.semlb.classifier.cost;

import java.util.Objects;

/**
 * One finished request as the data plane reported it. Immutable.
 *
 * @param key the request's {@link CostKey}
 * @param pool the pool it was routed to, or empty if unknown
 * @param upstreamMillis time from the first byte sent upstream to the last byte received (queueing
 *     in the upstream included), or {@code NaN} if no upstream answered
 * @param serverMillis the upstream's own processing time from its {@code server-timing} header
 *     (queueing excluded), or {@code NaN} if it sent none
 * @param status the response status code (0 if none)
 * @param responseBytes response body bytes
 * @param weight how many requests this report stands for ({@link FeedbackSampling}), {@code >= 1}
 */
public record CostSample(
    String key,
    String pool,
    double upstreamMillis,
    double serverMillis,
    int status,
    long responseBytes,
    long weight) {

  /** Checks the fields. */
  public CostSample {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(pool, "pool");
    if (weight < 1) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
    }
  }

  /** A report of one request (weight 1). */
  public CostSample(
      String key,
      String pool,
      double upstreamMillis,
      double serverMillis,
      int status,
      long responseBytes) {
    this(key, pool, upstreamMillis, serverMillis, status, responseBytes, 1);
  }

  /**
   * The time this request cost its upstream: its own {@code server-timing} when it reported one (so
   * queueing in a busy pool does not make a cheap request look expensive), else the upstream time;
   * {@code NaN} when neither is known.
   */
  public double costMillis() {
    return serverMillis >= 0 ? serverMillis : upstreamMillis;
  }

  /** Whether the request failed on the upstream side (no response, or a 5xx). */
  public boolean failed() {
    return status == 0 || status >= 500;
  }
}
