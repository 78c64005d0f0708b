package dev.semlb.e2e.support;

import dev.semlb.classifier.eval.LabelledRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load on loopback while a fault is injected: a few client threads send a fixed request
 * list round and round through Envoy and count every answer. Every request that did not get a 200
 * is kept as a failure (status or exception), with the worst latency seen.
 */
public final class LoadLoop implements AutoCloseable {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong worstNanos = new AtomicLong();
  private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicLong> byPool = new ConcurrentHashMap<>();

  private LoadLoop() {}

  /** Starts {@code clients} threads sending {@code requests} through {@code stack}. */
  public static LoadLoop start(SemlbStack stack, List<LabelledRequest> requests, int clients) {
    LoadLoop loop = new LoadLoop();
    for (int c = 0; c < clients; c++) {
      int offset = c;
      Thread thread =
          new Thread(
              () -> {
                int i = offset;
                while (loop.running.get()) {
                  LabelledRequest r = requests.get(i++ % requests.size());
                  long t0 = System.nanoTime();
                  try {
                    Served served = stack.send(r);
                    if (served.status() != 200) {
                      loop.failures.add(r.describe() + " -> HTTP " + served.status());
                    } else {
                      loop.byPool
                          .computeIfAbsent(served.pool(), p -> new AtomicLong())
                          .incrementAndGet();
                    }
                  } catch (Exception e) {
                    loop.failures.add(r.describe() + " -> " + e);
                  }
                  loop.sent.incrementAndGet();
                  loop.worstNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                }
              },
              "load-" + c);
      thread.start();
      loop.threads.add(thread);
    }
    return loop;
  }

  /** Requests answered so far (any outcome). */
  public long sent() {
    return sent.get();
  }

  /** Requests that did not get 200, described. */
  public List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  /** Successful answers by serving pool. */
  public Map<String, Long> byPool() {
    Map<String, Long> out = new java.util.TreeMap<>();
    byPool.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** The slowest request so far, in milliseconds. */
  public long worstMs() {
    return worstNanos.get() / 1_000_000;
  }

  /** Resets the worst latency (to measure one phase). */
  public void resetWorst() {
    worstNanos.set(0);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(20_000);
    }
  }

  @Override
  public String toString() {
    return "sent "
        + sent()
        + ", failed "
        + failures().size()
        + ", worst "
        + worstMs()
        + " ms, by pool "
        + byPool();
  }
}
