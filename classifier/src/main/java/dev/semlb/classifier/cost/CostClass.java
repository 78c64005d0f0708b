package dev.semlb.classifier.cost;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pool's cost class: the measured upstream time its requests take, as a bound on one quantile,
 * e.g. {@code p50 <= 25ms} for a fast pool or {@code p50 >= 250ms} for a heavy one. Immutable.
 *
 * @param pool the pool the class belongs to
 * @param quantile one of {@link #QUANTILES}
 * @param atMost true for {@code <=}, false for {@code >=}
 * @param thresholdMillis the bound in milliseconds, {@code > 0}
 */
public record CostClass(String pool, double quantile, boolean atMost, double thresholdMillis) {

  /** The quantiles a class may name (the ones {@link KeyCost} keeps). */
  public static final List<Double> QUANTILES = List.of(0.10, 0.25, 0.50, 0.75, 0.90, 0.99);

  private static final Pattern SYNTAX =
      Pattern.compile("p(\\d{2})\\s*(<=|>=)\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s)");

  /** Checks the fields. */
  public CostClass {
    Objects.requireNonNull(pool, "pool");
    if (!QUANTILES.contains(quantile)) {
      throw new IllegalArgumentException(
          "quantile: " + quantile + " (expected: one of " + QUANTILES + ")");
    }
    if (!(thresholdMillis > 0) || Double.isInfinite(thresholdMillis)) {
      throw new IllegalArgumentException(
          "thresholdMillis: " + thresholdMillis + " (expected: > 0)");
    }
  }

  /**
   * Parses {@code p50 <= 25ms}, {@code p90 >= 1.5s} and the like.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static CostClass parse(String pool, String text) {
    String expected = problem(text);
    if (expected != null) {
      throw new IllegalArgumentException("'" + text + "' (expected: " + expected + ")");
    }
    Matcher m = SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT));
    m.matches();
    double value = Double.parseDouble(m.group(3)) * (m.group(4).equals("s") ? 1000 : 1);
    return new CostClass(
        pool, Integer.parseInt(m.group(1)) / 100.0, m.group(2).equals("<="), value);
  }

  /** What {@code text} should have been for {@link #parse} to accept it, or null if it is fine. */
  public static String problem(String text) {
    Matcher m = SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches() || !QUANTILES.contains(Integer.parseInt(m.group(1)) / 100.0)) {
      return "a quantile p10, p25, p50, p75, p90 or p99, then <= or >=, then a time in ms or s,"
          + " e.g. 'p50 <= 25ms' or 'p50 >= 250ms'";
    }
    return Double.parseDouble(m.group(3)) > 0 ? null : "a time > 0";
  }

  /** Whether {@code valueMillis} is in the class, its bound widened by {@code slack} (0..1). */
  public boolean holds(double valueMillis, double slack) {
    return atMost
        ? valueMillis <= thresholdMillis * (1 + slack)
        : valueMillis >= thresholdMillis * (1 - slack);
  }

  /** The quantile's label, e.g. {@code p50}. */
  public String quantileLabel() {
    return label(quantile);
  }

  /** The label of a quantile, e.g. {@code p99} for 0.99. */
  public static String label(double quantile) {
    return "p" + Math.round(quantile * 100);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%s %s %sms",
        quantileLabel(),
        atMost ? "<=" : ">=",
        thresholdMillis == Math.rint(thresholdMillis)
            ? Long.toString((long) thresholdMillis)
            : Double.toString(thresholdMillis));
  }
}
