package dev.semlb.classifier.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Outcome;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MeasuredStageTest {

  private final AtomicLong clock = new AtomicLong(1L);
  private final CostStats stats = new CostStats(1000, Duration.ofMinutes(1), clock::get);
  private final MeasuredSettings settings =
      new MeasuredSettings(
          true,
          20,
          0.5,
          0.25,
          List.of(
              CostClass.parse("fast-path", "p50 <= 25ms"),
              CostClass.parse("high-compute", "p50 >= 250ms")));
  private final MeasuredStage stage = new MeasuredStage(stats, settings);

  private static RequestView get(String path) {
    return RequestView.of("GET", path, Map.of(), BodyView.EMPTY);
  }

  private Outcome decide(String path) {
    return stage.decide(get(path), Deadline.in(Duration.ofSeconds(1)));
  }

  private void feed(String key, String pool, double millis, int n) {
    for (int i = 0; i < n; i++) {
      stats.record(CostStatsTest.ok(key, pool, millis));
    }
  }

  @Test
  void unknownKeys_andTooFewSamples_pass() {
    assertThat(decide("/v1/reports/7")).isEqualTo(Outcome.pass());
    feed("GET /v1/reports/{id}", "fast-path", 400, 19);
    assertThat(decide("/v1/reports/7").decision()).isNull();
  }

  @Test
  void aSlowKeyThatReadsCheap_movesToTheHeavyPool_atTheEvidenceThreshold() {
    feed("GET /v1/reports/{id}", "fast-path", 412, 20);
    Outcome outcome = decide("/v1/reports/7");
    assertThat(outcome.sure()).isTrue();
    assertThat(outcome.decision().pool()).isEqualTo("high-compute");
    assertThat(outcome.decision().stage()).isEqualTo(Stage.MEASURED);
    assertThat(outcome.decision().reason())
        .startsWith("measured: p50 4")
        .contains("ms over 20 requests");
    CostSnapshot s = stats.snapshot("GET /v1/reports/{id}").orElseThrow();
    assertThat(s.verdict()).isEqualTo("high-compute");
    assertThat(s.moved()).as("it first went to fast-path").isTrue();
  }

  @Test
  void aCheapKey_goesToTheFastPool_andOneInBetweenIsLeftToTheOtherStages() {
    feed("GET /health", "general", 2, 30);
    feed("GET /search", "general", 100, 30);
    assertThat(decide("/health").decision().pool()).isEqualTo("fast-path");
    assertThat(decide("/search")).isEqualTo(Outcome.pass());
  }

  @Test
  void hysteresis_keepsAKeyInItsClassNearTheBound_butNotFarPastIt() {
    String key = "GET /items";
    feed(key, "general", 20, 40);
    assertThat(decide("/items").decision().pool()).isEqualTo("fast-path");
    // The key drifts to ~30 ms: past the 25 ms bound, inside 25 * 1.25 = 31.25.
    clock.addAndGet(Duration.ofMinutes(2).toNanos());
    feed(key, "fast-path", 30, 40);
    assertThat(decide("/items").decision().pool()).as("no flap at 30 ms").isEqualTo("fast-path");
    // A fresh key at 30 ms never enters the class.
    feed("GET /other", "general", 30, 40);
    assertThat(decide("/other")).isEqualTo(Outcome.pass());
    // Far past the widened bound the key leaves.
    clock.addAndGet(Duration.ofMinutes(2).toNanos());
    feed(key, "fast-path", 40, 40);
    assertThat(decide("/items")).isEqualTo(Outcome.pass());
    assertThat(stats.snapshot(key).orElseThrow().verdict()).isEmpty();
  }

  @Test
  void aSaturatedHeavyPool_doesNotMoveFastKeys_whenUpstreamsReportServerTiming() {
    // A cheap key that happens to be served by a saturated high-compute pool: 600 ms upstream,
    // nearly all of it waiting for a slot; the worker says the work took 4 ms.
    for (int i = 0; i < 25; i++) {
      stats.record(new CostSample("GET /v1/models", "high-compute", 600, 4, 200, 100));
    }
    // A cheap key already in fast-path, its p50 unaffected by the other pool's queue.
    feed("GET /status", "fast-path", 3, 25);
    assertThat(decide("/v1/models").decision().pool()).isEqualTo("fast-path");
    assertThat(decide("/status").decision().pool()).isEqualTo("fast-path");
  }

  @Test
  void keysThatMostlyFail_areLeftToTheOtherStages() {
    feed("GET /flaky", "general", 2, 20);
    for (int i = 0; i < 30; i++) {
      stats.record(new CostSample("GET /flaky", "general", Double.NaN, Double.NaN, 503, 0));
    }
    assertThat(decide("/flaky")).isEqualTo(Outcome.pass());
  }
}
