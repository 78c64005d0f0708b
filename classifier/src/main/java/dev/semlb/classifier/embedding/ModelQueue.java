package dev.semlb.classifier.embedding;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.semlb.classifier.Deadline;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Where model calls run, with admission control: a call that is expected to wait longer than {@code
 * maxWait} for the model, or not to finish within its request's deadline, is refused at once
 * instead of queued. Under overload a request then gets the cheap stages' decision (rules, measured
 * cost, the head on signals alone, the default pool) without waiting out its budget, and the model
 * keeps serving in time the calls it admits.
 *
 * <p>The expected wait of a new call is {@code calls waiting / threads x the recent mean call time}
 * (an exponentially weighted mean over finished calls), and it finishes a mean call time later;
 * until a call has finished there is no estimate and calls are admitted. Refusals are counted by
 * {@link Shed reason}: over budget (the estimate), queue full (the bounded queue refused it),
 * expired (its deadline passed while it waited, so it was never run).
 *
 * <p>The estimate only learns from calls that run, so a mean that once went over the budget (a cold
 * start, a burst) would shed every later call and never come down. So while the queue is idle (no
 * call waiting), a refused call is run anyway as a <em>probe</em>, at most one per {@link
 * #PROBE_INTERVAL}: its request still gets its answer at once (shed, counted), and the time the
 * call takes refreshes the mean. Under load the queue is not idle and no probe runs.
 *
 * <p>{@link #withMaxWait} gives a view with another wait limit over the same pool and counters
 * (each routing config sets its own). {@link #over} wraps any executor without admission control
 * (tests, offline evaluation). Thread-safe.
 */
public final class ModelQueue {

  /** Why a call was not run. */
  public enum Shed {
    /** The expected wait exceeded the wait limit, or the call would not finish in time. */
    OVER_BUDGET,
    /** The bounded queue was full. */
    QUEUE_FULL,
    /** The deadline passed while the call waited. */
    EXPIRED;

    /** Lower-case name with dashes, for metrics labels. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** At most one probe call per this interval (see the class comment). */
  public static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

  private final State state;
  private final long maxWaitNanos;

  private ModelQueue(State state, long maxWaitNanos) {
    this.state = state;
    this.maxWaitNanos = maxWaitNanos;
  }

  /**
   * Admission control over {@code pool}, whose queue should be bounded (the caller owns the pool
   * and shuts it down). No wait limit beyond the deadline until {@link #withMaxWait}.
   */
  public static ModelQueue bounded(ThreadPoolExecutor pool) {
    Objects.requireNonNull(pool, "pool");
    return new ModelQueue(
        new State(pool, Math.max(1, pool.getMaximumPoolSize()), true), Long.MAX_VALUE);
  }

  /** Runs calls on {@code executor} as they come, without admission control. */
  public static ModelQueue over(Executor executor) {
    return new ModelQueue(
        new State(Objects.requireNonNull(executor, "executor"), 1, false), Long.MAX_VALUE);
  }

  /** Runs every call on the calling thread. */
  public static ModelQueue direct() {
    return over(Runnable::run);
  }

  /** This queue (same pool, same counters) with calls expected to wait over {@code max} shed. */
  public ModelQueue withMaxWait(Duration max) {
    if (max.isNegative()) {
      throw new IllegalArgumentException("maxWait: " + max + " (expected: >= 0)");
    }
    return new ModelQueue(state, max.toNanos());
  }

  /**
   * Runs {@code call} when it is expected to finish by {@code deadline} after at most the wait
   * limit; the future completes with its result, with null when it was shed or the deadline passed
   * first, or exceptionally when the call threw.
   */
  public <T> CompletableFuture<T> submit(Supplier<T> call, Deadline deadline) {
    if (state.admissionControl && !admits(deadline)) {
      state.shed.get(Shed.OVER_BUDGET).increment();
      state.probe(call);
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    state.waiting.incrementAndGet();
    try {
      // Not supplyAsync: it skips a task whose future completed first, and every task must run
      // here to be counted out of `waiting`.
      state.executor.execute(() -> state.run(call, deadline, result));
    } catch (RejectedExecutionException e) {
      state.waiting.decrementAndGet();
      state.shed.get(Shed.QUEUE_FULL).increment();
      return CompletableFuture.completedFuture(null);
    }
    return result.completeOnTimeout(
        null, Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
  }

  /** Whether a call submitted now is expected to start within the limit and finish in time. */
  boolean admits(Deadline deadline) {
    double mean = state.meanCallNanos();
    if (Double.isNaN(mean)) {
      return true;
    }
    double wait = (double) state.waiting.get() / state.threads * mean;
    return wait <= maxWaitNanos && wait + mean <= deadline.remainingNanos();
  }

  /** The recent mean time of one call in nanoseconds; NaN before the first finished call. */
  public double meanCallNanos() {
    return state.meanCallNanos();
  }

  /** Calls run as probes since start (see the class comment). */
  public long probes() {
    return state.probes.sum();
  }

  /** Calls submitted and not yet started. */
  public int waiting() {
    return Math.max(0, state.waiting.get());
  }

  /** Calls not run for {@code reason} since start (all views of this queue together). */
  public long shed(Shed reason) {
    return state.shed.get(reason).sum();
  }

  /** What the views of one queue share. */
  private static final class State {
    private static final double WEIGHT = 0.1;

    final Executor executor;
    final int threads;
    final boolean admissionControl;
    final AtomicInteger waiting = new AtomicInteger();
    final Map<Shed, LongAdder> shed = new EnumMap<>(Shed.class);
    final LongAdder probes = new LongAdder();
    private final AtomicLong lastProbe =
        new AtomicLong(System.nanoTime() - PROBE_INTERVAL.toNanos());
    private final Object meanLock = new Object();

    @GuardedBy("meanLock")
    private double meanNanos = Double.NaN;

    State(Executor executor, int threads, boolean admissionControl) {
      this.executor = executor;
      this.threads = threads;
      this.admissionControl = admissionControl;
      for (Shed s : Shed.values()) {
        shed.put(s, new LongAdder());
      }
    }

    <T> void run(Supplier<T> call, Deadline deadline, CompletableFuture<T> result) {
      waiting.decrementAndGet();
      if (result.isDone() || deadline.expired()) {
        shed.get(Shed.EXPIRED).increment();
        result.complete(null);
        return;
      }
      long start = System.nanoTime();
      T value;
      try {
        value = call.get();
      } catch (RuntimeException | Error e) {
        record(System.nanoTime() - start);
        result.completeExceptionally(e);
        return;
      }
      // Recorded before completing, so whoever sees the result also sees it counted.
      record(System.nanoTime() - start);
      result.complete(value);
    }

    /**
     * Runs {@code call} only to time it, when the queue is idle and no probe ran in the last
     * interval; its result is dropped.
     */
    void probe(Supplier<?> call) {
      long now = System.nanoTime();
      long last = lastProbe.get();
      if (waiting.get() > 0
          || now - last < PROBE_INTERVAL.toNanos()
          || !lastProbe.compareAndSet(last, now)) {
        return;
      }
      waiting.incrementAndGet();
      try {
        executor.execute(
            () -> {
              waiting.decrementAndGet();
              probes.increment();
              long start = System.nanoTime();
              try {
                call.get();
              } catch (RuntimeException e) {
                // Timed all the same; the request it came from was already answered.
              } finally {
                record(System.nanoTime() - start);
              }
            });
      } catch (RejectedExecutionException e) {
        waiting.decrementAndGet();
      }
    }

    private void record(long nanos) {
      synchronized (meanLock) {
        meanNanos = Double.isNaN(meanNanos) ? nanos : meanNanos + WEIGHT * (nanos - meanNanos);
      }
    }

    double meanCallNanos() {
      synchronized (meanLock) {
        return meanNanos;
      }
    }
  }
}
