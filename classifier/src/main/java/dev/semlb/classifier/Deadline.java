package dev.semlb.classifier;

import java.time.Duration;

/**
 * The time left for classifying one request. Immutable.
 *
 * @param expiresAtNanos {@link System#nanoTime()} value at which the budget is spent
 */
public record Deadline(long expiresAtNanos) {

  /** A deadline {@code budget} from now. */
  public static Deadline in(Duration budget) {
    return new Deadline(System.nanoTime() + budget.toNanos());
  }

  /** Nanoseconds left; 0 or less when expired. */
  public long remainingNanos() {
    return expiresAtNanos - System.nanoTime();
  }

  /** Whether the budget is spent. */
  public boolean expired() {
    return remainingNanos() <= 0;
  }
}
