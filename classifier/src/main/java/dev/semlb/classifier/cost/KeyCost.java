package dev.semlb.classifier.cost;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The measured cost of one request shape: quantiles of its cost over a sliding window of two
 * periods (the current one and the one before), its error rate, and which pools served it.
 *
 * <p>Decay: samples older than two periods no longer count, so a key that got cheaper (or more
 * expensive) is judged on recent traffic. Quantiles come from DDSketch with 2% relative accuracy
 * and at most {@link #MAX_BINS} bins per sketch, so a key's memory is bounded whatever its values.
 *
 * <p>Thread-safety: {@link #record} and the period roll are guarded by this object's lock; readers
 * see a published snapshot without locking. Publishing (merging the two periods' sketches and
 * reading their quantiles) is not done per sample once a key is busy: the first {@link
 * #EAGER_SAMPLES} samples of a key publish at once (so the measured stage's evidence threshold is
 * met exactly), later ones at most every {@link #MAX_STALE_NANOS}. {@link #recent} (the measured
 * stage, on the request path) may so be up to that stale; {@link #snapshot(long)} (listings,
 * explanations) is always exact. {@link #verdict} is a volatile hint of the last pool the measured
 * stage chose for the key, for hysteresis.
 */
public final class KeyCost {

  /** Bins per sketch; with 2% accuracy this spans more than 0.01 ms to hours. */
  public static final int MAX_BINS = 512;

  /** Samples of a key published at once; after that, at most every {@link #MAX_STALE_NANOS}. */
  static final int EAGER_SAMPLES = 64;

  /** How stale {@link #recent} may be for a busy key: 100 ms. */
  static final long MAX_STALE_NANOS = 100_000_000L;

  private static final double ACCURACY = 0.02;
  private static final int MAX_POOLS = 16;

  private final String key;
  private final long periodNanos;

  @GuardedBy("this")
  private DDSketch current = newSketch();

  @GuardedBy("this")
  private DDSketch previous = newSketch();

  @GuardedBy("this")
  private long periodStart;

  @GuardedBy("this")
  private long errorsCurrent;

  @GuardedBy("this")
  private long errorsPrevious;

  @GuardedBy("this")
  private long total;

  @GuardedBy("this")
  private String firstPool = "";

  @GuardedBy("this")
  private final Map<String, Long> pools = new LinkedHashMap<>();

  @GuardedBy("this")
  private boolean dirty;

  @GuardedBy("this")
  private long publishedAt;

  private volatile CostSnapshot snapshot;
  private volatile String verdict;

  KeyCost(String key, long periodNanos, long now) {
    this.key = key;
    this.periodNanos = periodNanos;
    synchronized (this) {
      this.periodStart = now;
      this.snapshot = publish(now);
    }
  }

  private static DDSketch newSketch() {
    return DDSketches.logarithmicCollapsingLowestDense(ACCURACY, MAX_BINS);
  }

  /**
   * Adds a finished request (standing for {@code sample.weight()} requests) seen at {@code now}.
   */
  synchronized void record(CostSample sample, long now) {
    roll(now);
    long weight = sample.weight();
    total += weight;
    if (!sample.pool().isEmpty()) {
      if (firstPool.isEmpty()) {
        firstPool = sample.pool();
      }
      if (pools.containsKey(sample.pool()) || pools.size() < MAX_POOLS) {
        pools.merge(sample.pool(), weight, Long::sum);
      }
    }
    double cost = sample.costMillis();
    if (sample.failed()) {
      errorsCurrent += weight;
    } else if (cost >= 0) {
      current.accept(cost, weight);
    }
    if (total <= EAGER_SAMPLES || now - publishedAt >= MAX_STALE_NANOS) {
      snapshot = publish(now);
    } else {
      dirty = true;
    }
  }

  /**
   * A snapshot for the request path: the latest published, at most {@link #MAX_STALE_NANOS} old for
   * a busy key, rolled to {@code now} if a period has passed since.
   */
  CostSnapshot recent(long now) {
    CostSnapshot s = snapshot;
    if (now - s.periodStartNanos() < periodNanos) {
      return s;
    }
    return snapshot(now);
  }

  /** The exact snapshot at {@code now}: every sample recorded so far, rolled if a period passed. */
  synchronized CostSnapshot snapshot(long now) {
    long elapsed = now - periodStart;
    if (dirty || elapsed >= periodNanos) {
      roll(now);
      snapshot = publish(now);
    }
    return snapshot;
  }

  @GuardedBy("this")
  private void roll(long now) {
    long elapsed = now - periodStart;
    if (elapsed < periodNanos) {
      return;
    }
    if (elapsed >= 2 * periodNanos) {
      previous = newSketch();
      errorsPrevious = 0;
    } else {
      previous = current;
      errorsPrevious = errorsCurrent;
    }
    current = newSketch();
    errorsCurrent = 0;
    periodStart = now - (elapsed % periodNanos);
  }

  @GuardedBy("this")
  private CostSnapshot publish(long now) {
    dirty = false;
    publishedAt = now;
    DDSketch window;
    if (previous.isEmpty()) {
      window = current;
    } else if (current.isEmpty()) {
      window = previous;
    } else {
      window = previous.copy();
      window.mergeWith(current);
    }
    double[] quantiles = new double[CostClass.QUANTILES.size()];
    for (int i = 0; i < quantiles.length; i++) {
      quantiles[i] =
          window.isEmpty() ? Double.NaN : window.getValueAtQuantile(CostClass.QUANTILES.get(i));
    }
    return new CostSnapshot(
        key,
        (long) window.getCount(),
        errorsCurrent + errorsPrevious,
        total,
        quantiles,
        firstPool,
        Map.copyOf(pools),
        verdict == null ? "" : verdict,
        periodStart);
  }

  /** The pool the measured stage last chose for this key, or null. */
  String verdict() {
    return verdict;
  }

  /** Records the measured stage's choice (null: none), for hysteresis and listings. */
  void verdict(String pool) {
    if (!java.util.Objects.equals(pool, verdict)) {
      verdict = pool;
      synchronized (this) {
        snapshot = publish(snapshot.periodStartNanos());
      }
    }
  }
}
