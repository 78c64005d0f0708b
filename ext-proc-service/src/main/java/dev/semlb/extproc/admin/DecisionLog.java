package dev.semlb.extproc.admin;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.extproc.processing.DecisionListener;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The most recent decisions, for the admin API and live views. Keeps method, path (never the query
 * string), pool, stage, confidence, reason and latency; never headers or bodies. Bounded;
 * thread-safe (guarded by {@code this}).
 */
public final class DecisionLog implements DecisionListener {

  /**
   * One decision as shown to operators.
   *
   * @param seq increasing number, for "newer than" queries
   * @param timeMillis epoch milliseconds
   * @param latencyMs classification time
   */
  public record Entry(
      long seq,
      long timeMillis,
      String method,
      String path,
      String pool,
      String stage,
      double confidence,
      String reason,
      double latencyMs) {}

  private final int capacity;
  private final Clock clock;

  @GuardedBy("this")
  private final ArrayDeque<Entry> entries;

  @GuardedBy("this")
  private long seq;

  /** Keeps the last {@code capacity} decisions. */
  public DecisionLog(int capacity, Clock clock) {
    this.capacity = capacity;
    this.clock = clock;
    this.entries = new ArrayDeque<>(capacity);
  }

  @Override
  public synchronized void onDecision(RequestView request, Decision decision, long nanos) {
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    String path =
        request.path().length() > 200 ? request.path().substring(0, 200) + "..." : request.path();
    entries.addLast(
        new Entry(
            ++seq,
            clock.millis(),
            request.method(),
            path,
            decision.pool(),
            decision.stage().label(),
            decision.confidence(),
            decision.reason(),
            nanos / 1e6));
  }

  /** The newest {@code limit} entries, newest first. */
  public synchronized List<Entry> recent(int limit) {
    List<Entry> out = new ArrayList<>(Math.min(limit, entries.size()));
    Iterator<Entry> it = entries.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      out.add(it.next());
    }
    return out;
  }

  /** Entries with a sequence number above {@code seq}, oldest first. */
  public synchronized List<Entry> after(long afterSeq) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.seq() > afterSeq) {
        out.add(e);
      }
    }
    return out;
  }

  /** The sequence number of the newest entry (0 when empty). */
  public synchronized long lastSeq() {
    return seq;
  }
}
