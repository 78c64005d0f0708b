package dev.semlb.classifier.cost;

/**
 * The value of the cost-key header ({@code x-semlb-cost-key}, {@link dev.semlb.wire.WireContract})
 * that ext-proc-service sets on every request it routes: the request's {@link CostKey}, prefixed
 * with {@code <weight>*} when the request does not stand for just itself in the cost feedback
 * ({@link FeedbackSampling}): {@code 10*GET /api/users/{id}} stands for ten requests, {@code 0*GET
 * /api/users/{id}} for none (sampled out: Envoy's feedback log skips values that start with {@code
 * 0*}). A key never starts with a digit (it starts with the HTTP method), so the prefix cannot be
 * mistaken for one. The one writer and the one reader of this format: the feedback receiver (gRPC
 * access log) and the history reader (a JSON access log file, which logs every request and so reads
 * the key without its weight) both parse it here. Stateless.
 */
public final class CostKeyHeader {

  /** The largest weight a value may carry; a larger one is read as 1. */
  public static final long MAX_WEIGHT = 1_000_000;

  /** The prefix of a request left out of the feedback (weight 0). */
  public static final String SAMPLED_OUT_PREFIX = "0*";

  private CostKeyHeader() {}

  /** The header value for {@code key} reported with {@code weight} ({@code >= 0}). */
  public static String value(String key, long weight) {
    if (weight < 0) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
    }
    return weight == 1 ? key : weight + "*" + key;
  }

  /**
   * Reads a header value: its key and weight. A value without a well-formed prefix (digits, then
   * {@code *}) is all key, weight 1; a weight over {@link #MAX_WEIGHT} is read as 1.
   */
  public static Weighted parse(String value) {
    int star = value.indexOf('*');
    if (star < 1 || star > 7) {
      return new Weighted(value, 1);
    }
    long weight = 0;
    for (int i = 0; i < star; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return new Weighted(value, 1);
      }
      weight = weight * 10 + (c - '0');
    }
    return new Weighted(value.substring(star + 1), weight <= MAX_WEIGHT ? weight : 1);
  }

  /**
   * A reported key and how many requests it stands for.
   *
   * @param key the cost key (possibly blank if the value was)
   * @param weight {@code >= 0}; 0 for a request left out of the feedback
   */
  public record Weighted(String key, long weight) {}
}
