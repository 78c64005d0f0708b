package dev.semlb.classifier.cost;

import java.util.Locale;

/**
 * Reads an upstream's own processing time from a W3C {@code Server-Timing} header, e.g. {@code
 * app;dur=12.3} or {@code db;dur=4, app;desc="render";dur=20}; the one reader of it for the live
 * feedback and the access log history. Stateless.
 */
public final class ServerTiming {

  private static final int MAX_CHARS = 1024;

  private ServerTiming() {}

  /**
   * The {@code dur} of the first metric that has one, in milliseconds; {@code NaN} when the header
   * is absent, has none, or is malformed (a bad header never fails anything, it is just not used).
   */
  public static double millis(String header) {
    if (header == null || header.isEmpty() || header.length() > MAX_CHARS) {
      return Double.NaN;
    }
    for (String metric : header.split(",")) {
      for (String param : metric.split(";")) {
        String p = param.strip();
        if (p.length() > 4 && p.substring(0, 4).toLowerCase(Locale.ROOT).equals("dur=")) {
          try {
            double value = Double.parseDouble(p.substring(4).replace("\"", ""));
            if (value >= 0 && !Double.isInfinite(value)) {
              return value;
            }
          } catch (NumberFormatException e) {
            // not a number: try the next metric
          }
        }
      }
    }
    return Double.NaN;
  }
}
