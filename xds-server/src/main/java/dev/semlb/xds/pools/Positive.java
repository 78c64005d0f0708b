package dev.semlb.xds.pools;

import java.time.Duration;

/** Shared check for durations that must be above zero. */
final class Positive {

  private Positive() {}

  static Duration check(String field, Duration value) {
    if (value == null) {
      throw new NullPointerException(field);
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
    }
    return value;
  }
}
