package dev.semlb.classifier.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CostStatsTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final CostStats stats = new CostStats(100, Duration.ofSeconds(10), clock::get);

  static CostSample ok(String key, String pool, double millis) {
    return new CostSample(key, pool, millis, Double.NaN, 200, 10);
  }

  @Test
  void quantilesFollowTheSamples_withinTheSketchAccuracy() {
    for (int i = 1; i <= 100; i++) {
      stats.record(ok("GET /a", "fast-path", i));
    }
    CostSnapshot s = stats.snapshot("GET /a").orElseThrow();
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.quantile(0.5)).isCloseTo(50, within(2.0));
    assertThat(s.quantile(0.99)).isCloseTo(99, within(3.0));
    assertThat(s.quantile(0.10)).isCloseTo(10, within(0.5));
    assertThat(s.firstPool()).isEqualTo("fast-path");
    assertThat(s.pools()).containsEntry("fast-path", 100L);
  }

  @Test
  void serverTiming_isTheCost_whenTheUpstreamReportsIt() {
    for (int i = 0; i < 30; i++) {
      // 400 ms upstream (most of it queueing in a busy pool), 3 ms of actual work.
      stats.record(new CostSample("GET /b", "high-compute", 400, 3, 200, 10));
    }
    assertThat(stats.snapshot("GET /b").orElseThrow().quantile(0.5)).isCloseTo(3, within(0.1));
  }

  @Test
  void failures_countAsErrors_notAsCost() {
    for (int i = 0; i < 10; i++) {
      stats.record(ok("GET /c", "general", 100));
      stats.record(new CostSample("GET /c", "general", 1, Double.NaN, 503, 0));
    }
    CostSnapshot s = stats.snapshot("GET /c").orElseThrow();
    assertThat(s.count()).isEqualTo(10);
    assertThat(s.errors()).isEqualTo(10);
    assertThat(s.errorRate()).isEqualTo(0.5);
    assertThat(s.quantile(0.10))
        .as("the fast 503s did not make the key look cheap")
        .isGreaterThan(95);
  }

  @Test
  void oldSamplesDecay_afterTwoPeriods() {
    for (int i = 0; i < 50; i++) {
      stats.record(ok("GET /d", "fast-path", 400));
    }
    clock.addAndGet(Duration.ofSeconds(11).toNanos());
    for (int i = 0; i < 50; i++) {
      stats.record(ok("GET /d", "fast-path", 5));
    }
    CostSnapshot mixed = stats.snapshot("GET /d").orElseThrow();
    assertThat(mixed.count()).as("both periods count").isEqualTo(100);
    clock.addAndGet(Duration.ofSeconds(10).toNanos());
    CostSnapshot recent = stats.snapshot("GET /d").orElseThrow();
    assertThat(recent.count()).as("the 400 ms period has left the window").isEqualTo(50);
    assertThat(recent.quantile(0.99)).isCloseTo(5, within(0.2));
    assertThat(recent.total()).isEqualTo(100);
    clock.addAndGet(Duration.ofSeconds(25).toNanos());
    assertThat(stats.snapshot("GET /d").orElseThrow().count()).isZero();
  }

  @Test
  void aBusyKey_publishesForTheRequestPath_atMostEvery100ms_whileListingsStayExact() {
    int eager = KeyCost.EAGER_SAMPLES;
    for (int i = 0; i < eager + 36; i++) {
      stats.record(ok("GET /busy", "fast-path", 5));
    }
    KeyCost cost = stats.get("GET /busy").orElseThrow();
    // Same instant: the first EAGER_SAMPLES published at once, the rest wait for the next publish.
    assertThat(cost.recent(clock.get()).count()).isEqualTo(eager);
    assertThat(stats.snapshot("GET /busy").orElseThrow().count()).isEqualTo(eager + 36);
    for (int i = 0; i < 10; i++) {
      stats.record(ok("GET /busy", "fast-path", 5));
    }
    assertThat(cost.recent(clock.get()).count())
        .as("published by the exact read")
        .isEqualTo(eager + 36);
    clock.addAndGet(KeyCost.MAX_STALE_NANOS);
    stats.record(ok("GET /busy", "fast-path", 5));
    assertThat(cost.recent(clock.get()).count()).isEqualTo(eager + 47);
  }

  @Test
  void keysAreBounded_andEvictionsCounted() {
    for (int i = 0; i < 1000; i++) {
      stats.record(ok("GET /k" + i, "general", 1));
    }
    CostStats.Totals totals = stats.totals();
    assertThat(totals.keys()).isLessThanOrEqualTo(100);
    assertThat(totals.evicted()).isGreaterThanOrEqualTo(900);
    assertThat(totals.recorded()).isEqualTo(1000);
  }

  @Test
  void badKeys_areRejectedAndCounted() {
    stats.record(ok(" ", "general", 1));
    stats.record(ok("x".repeat(CostKey.MAX_CHARS + 1), "general", 1));
    assertThat(stats.totals().rejected()).isEqualTo(2);
    assertThat(stats.totals().keys()).isZero();
  }

  @Test
  void topListsTheBusiestKeysFirst() {
    for (int i = 0; i < 5; i++) {
      stats.record(ok("GET /busy", "general", 1));
    }
    stats.record(ok("GET /quiet", "general", 1));
    assertThat(stats.top(10))
        .extracting(CostSnapshot::key)
        .containsExactly("GET /busy", "GET /quiet");
    assertThat(stats.top(1)).hasSize(1);
  }

  @Test
  void concurrentReporters_loseNoSample() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int t = 0; t < 4; t++) {
        pool.execute(
            () -> {
              try {
                start.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              for (int i = 0; i < 5000; i++) {
                stats.record(ok("GET /shared", "general", 1 + (i % 10)));
                stats.snapshot("GET /shared");
              }
            });
      }
      start.countDown();
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    CostSnapshot s = stats.snapshot("GET /shared").orElseThrow();
    assertThat(s.count()).isEqualTo(20_000);
    assertThat(s.total()).isEqualTo(20_000);
  }
}
