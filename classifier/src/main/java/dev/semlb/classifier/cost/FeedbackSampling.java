package dev.semlb.classifier.cost;

/**
 * How much cost feedback the data plane sends for a request shape that already has plenty of
 * evidence. Every request of a key is reported until the key's window holds {@code fullUntil}
 * requests; beyond that only one in {@code oneIn}, each standing for {@code oneIn} requests (its
 * weight), so counts, error rates and quantiles stay unbiased while the feedback stream costs a
 * {@code oneIn}-th. A key that falls back under {@code fullUntil} (traffic dropped, or its window
 * rolled) is reported in full again. Immutable.
 *
 * <p>Why: reporting every request costs Envoy (formatting and sending one access-log entry) and
 * ext-proc-service (receiving it) a measurable share of the rules path's throughput
 * (docs/benchmarks.md), while the measured stage needs only {@code minSamples} per window to
 * decide.
 *
 * @param fullUntil requests in a key's window (two periods) below which every request is reported,
 *     {@code >= 1}
 * @param oneIn how many requests each reported one stands for beyond that, in {@code [1, }{@value
 *     #MAX_ONE_IN}{@code ]}; 1 reports every request
 */
public record FeedbackSampling(long fullUntil, int oneIn) {

  /** The largest {@code oneIn}. */
  public static final int MAX_ONE_IN = 1000;

  /** The default: every request until 1,000 in the window, then 1 in 10. */
  public static final FeedbackSampling DEFAULT = new FeedbackSampling(1000, 10);

  /** Every request is reported. */
  public static final FeedbackSampling EVERY = new FeedbackSampling(Long.MAX_VALUE, 1);

  /** Checks the fields. */
  public FeedbackSampling {
    if (fullUntil < 1) {
      throw new IllegalArgumentException("fullUntil: " + fullUntil + " (expected: >= 1)");
    }
    if (oneIn < 1 || oneIn > MAX_ONE_IN) {
      throw new IllegalArgumentException(
          "oneIn: " + oneIn + " (expected: 1 <= oneIn <= " + MAX_ONE_IN + ")");
    }
  }

  /**
   * The weight of the next request of a key whose window holds {@code windowCount} requests: 1
   * (report it, as itself), {@code oneIn} (report it for {@code oneIn} requests) or 0 (do not
   * report it).
   *
   * @param random a uniform draw in {@code [0, 1)}
   */
  public long weight(long windowCount, double random) {
    if (oneIn == 1 || windowCount < fullUntil) {
      return 1;
    }
    return random * oneIn < 1 ? oneIn : 0;
  }
}
