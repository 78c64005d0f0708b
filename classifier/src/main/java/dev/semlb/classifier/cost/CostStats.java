package dev.semlb.classifier.cost;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measured upstream cost per request shape ({@link CostKey}), fed by the data plane's reports of
 * finished requests and read by the {@link MeasuredStage}.
 *
 * <p>Memory is bounded: at most {@code maxKeys} keys are kept; beyond that the keys least worth
 * keeping (Caffeine's frequency-and-recency policy, so the busy shapes stay) are evicted and
 * counted. Outlives routing-config reloads. Thread-safe: any number of reporters and readers.
 */
public final class CostStats {

  /** Keys kept by default. */
  public static final int DEFAULT_MAX_KEYS = 10_000;

  /** The default period; the window is two periods. */
  public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);

  private final Cache<String, KeyCost> keys;
  private final Ticker ticker;
  private final long periodNanos;
  private final int maxKeys;
  private final LongAdder recorded = new LongAdder();
  private final LongAdder evicted = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  /**
   * @param maxKeys keys kept at most, {@code >= 1}
   * @param period how long one of the window's two periods lasts, {@code > 0}
   * @param ticker the clock (nanoseconds)
   */
  public CostStats(int maxKeys, Duration period, Ticker ticker) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: >= 1)");
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
    }
    this.ticker = ticker;
    this.periodNanos = period.toNanos();
    this.maxKeys = maxKeys;
    this.keys =
        Caffeine.newBuilder()
            .maximumSize(maxKeys)
            .executor(Runnable::run)
            .removalListener(
                (String k, KeyCost v, RemovalCause cause) -> {
                  if (cause.wasEvicted()) {
                    evicted.increment();
                  }
                })
            .build();
  }

  /** Stats with the default bounds on the system clock. */
  public CostStats() {
    this(DEFAULT_MAX_KEYS, DEFAULT_PERIOD, Ticker.systemTicker());
  }

  /** Adds one finished request; a sample with a blank or over-long key is counted and dropped. */
  public void record(CostSample sample) {
    if (sample.key().isBlank() || sample.key().length() > CostKey.MAX_CHARS) {
      rejected.increment();
      return;
    }
    long now = ticker.read();
    keys.get(sample.key(), k -> new KeyCost(k, periodNanos, now)).record(sample, now);
    recorded.increment();
  }

  /** The key's cost now, if it has been seen and not evicted. */
  public Optional<KeyCost> get(String key) {
    return Optional.ofNullable(keys.getIfPresent(key));
  }

  /**
   * Requests of {@code key} in its window as last published (successful ones with a cost, and
   * failures; weighted), 0 for a key not held: what {@link FeedbackSampling} decides on. No lock
   * unless a period has passed since the key's last publication.
   */
  public long windowCount(String key) {
    KeyCost cost = keys.getIfPresent(key);
    if (cost == null) {
      return 0;
    }
    CostSnapshot s = cost.recent(ticker.read());
    return s.count() + s.errors();
  }

  /** The key's snapshot now (its window rolled to the present), if it has been seen. */
  public Optional<CostSnapshot> snapshot(String key) {
    KeyCost cost = keys.getIfPresent(key);
    return cost == null ? Optional.empty() : Optional.of(cost.snapshot(ticker.read()));
  }

  /** The current time of this object's clock (nanoseconds), for {@link KeyCost#snapshot(long)}. */
  long now() {
    return ticker.read();
  }

  /** Up to {@code limit} keys, busiest in the window first. */
  public List<CostSnapshot> top(int limit) {
    long now = ticker.read();
    return keys.asMap().values().stream()
        .map(k -> k.snapshot(now))
        .sorted(
            Comparator.comparingLong((CostSnapshot s) -> s.count() + s.errors())
                .reversed()
                .thenComparing(CostSnapshot::key))
        .limit(limit)
        .toList();
  }

  /** Totals since start. */
  public Totals totals() {
    return new Totals(keys.estimatedSize(), maxKeys, recorded.sum(), evicted.sum(), rejected.sum());
  }

  /**
   * Totals of the whole table.
   *
   * @param keys keys held now
   * @param maxKeys the bound
   * @param recorded samples recorded
   * @param evicted keys evicted to stay within the bound
   * @param rejected samples dropped for a bad key
   */
  public record Totals(long keys, int maxKeys, long recorded, long evicted, long rejected) {}
}
