package dev.semlb.classifier.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Outcome;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogHistoryTest {

  @TempDir Path dir;

  private static Path fixture() throws URISyntaxException {
    return Path.of(AccessLogHistoryTest.class.getResource("envoy-1.40.0-access.jsonl").toURI());
  }

  private static CostStats frozenStats() {
    return new CostStats(1000, Duration.ofMinutes(1), () -> 1L);
  }

  @Test
  void envoysOwnLog_readsEveryLine_withKeysPoolsAndCosts() throws Exception {
    CostStats stats = frozenStats();
    AccessLogHistory.Summary summary =
        AccessLogHistory.read(fixture(), AccessLogHistory.DEFAULT_MAX_BYTES, stats::record);

    assertThat(summary.lines()).isEqualTo(80);
    assertThat(summary.samples()).isEqualTo(80);
    assertThat(summary.skipped()).isEmpty();
    assertThat(summary.startOffset()).isZero();

    // server-timing says 300.5 ms: that is the cost (DDSketch: 2% relative accuracy).
    CostSnapshot reports = stats.snapshot("GET /v1/reports/{id}").orElseThrow();
    assertThat(reports.count()).isEqualTo(25);
    assertThat(reports.quantile(0.5)).isCloseTo(300.5, within(300.5 * 0.02));
    assertThat(reports.pools()).containsEntry("fast-path", 25L);

    // No cost key in the line (semlb never routed it): keyed by method and path template, and
    // costed by upstream time (the upstream takes 40 ms).
    CostSnapshot orders = stats.snapshot("POST /v1/orders").orElseThrow();
    assertThat(orders.count()).isEqualTo(25);
    assertThat(orders.quantile(0.5)).isGreaterThanOrEqualTo(40 * 0.98);
    assertThat(orders.pools()).isEmpty();

    // 25 answered, and one 503 with no upstream at all (upstream_us null): an error, not a cost.
    CostSnapshot users = stats.snapshot("GET /v1/users/{id}").orElseThrow();
    assertThat(users.count()).isEqualTo(25);
    assertThat(users.errors()).isEqualTo(1);
    assertThat(users.quantile(0.5)).isLessThan(40);

    CostSnapshot fail = stats.snapshot("GET /v1/fail").orElseThrow();
    assertThat(fail.count()).isZero();
    assertThat(fail.errors()).isEqualTo(3);
    assertThat(stats.snapshot("DELETE /v1/orders/{id}")).isPresent();
  }

  @Test
  void seededStats_letTheMeasuredStageDecideAtOnce() throws Exception {
    CostStats stats = frozenStats();
    AccessLogHistory.read(fixture(), AccessLogHistory.DEFAULT_MAX_BYTES, stats::record);
    MeasuredStage stage =
        new MeasuredStage(
            stats,
            new MeasuredSettings(
                true,
                20,
                0.5,
                0.25,
                List.of(
                    CostClass.parse("fast-path", "p50 <= 25ms"),
                    CostClass.parse("high-compute", "p50 >= 250ms"))));

    Outcome report =
        stage.decide(view("GET", "/v1/reports/77"), Deadline.in(Duration.ofSeconds(1)));
    assertThat(report.sure()).isTrue();
    assertThat(report.decision().pool()).isEqualTo("high-compute");
    assertThat(report.decision().reason())
        .startsWith("measured: p50 ")
        .contains(" ms over 25 requests");
    Outcome user = stage.decide(view("GET", "/v1/users/5"), Deadline.in(Duration.ofSeconds(1)));
    assertThat(user.decision().pool()).isEqualTo("fast-path");
    // 25 samples at 40+ ms: between the classes, left to the other stages.
    assertThat(stage.decide(view("POST", "/v1/orders"), Deadline.in(Duration.ofSeconds(1))).sure())
        .isFalse();
  }

  @Test
  void badLines_areCountedByReasonAndSkipped_neverFatal() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(fixture()).subList(0, 5));
    lines.add("not json at all");
    lines.add("[1, 2]");
    lines.add("{\"path\":\"/a\"}");
    lines.add("{\"method\":\"GET\",\"path\":null}");
    lines.add("{\"method\":\"GET\",\"path\":\"/a\",\"upstream_us\":\"abc\"}");
    lines.add("{\"method\":\"GET\",\"path\":\"/a\",\"pool\":7}");
    lines.add("{\"method\":\"GET\",\"path\":\"/a\",\"cost_key\":\"" + "k".repeat(201) + "\"}");
    lines.add("{\"method\":\"GET\",\"path\":\"/" + "x".repeat(20_000) + "\"}");
    lines.add("");
    lines.add("{\"method\":\"GET\",\"path\":\"/last\",\"code\":200,\"upstream_us\":1500}");
    Path log = dir.resolve("access.jsonl");
    // The last line has no newline: it still counts.
    Files.writeString(log, String.join("\n", lines), StandardCharsets.UTF_8);
    List<CostSample> samples = new ArrayList<>();

    AccessLogHistory.Summary summary = AccessLogHistory.read(log, 1 << 20, samples::add);

    assertThat(summary.lines()).isEqualTo(14);
    assertThat(summary.samples()).isEqualTo(6);
    assertThat(summary.skipped())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "not JSON", 1L,
                "not a JSON object", 1L,
                "no method", 1L,
                "no path", 1L,
                "upstream_us not a number", 1L,
                "pool not a string", 1L,
                "cost_key longer than 200 characters", 1L,
                "longer than 16384 bytes", 1L));
    assertThat(summary.format()).contains("6 samples from 14 lines").contains("skipped 8");
    CostSample last = samples.get(samples.size() - 1);
    assertThat(last.key()).isEqualTo("GET /last");
    assertThat(last.upstreamMillis()).isEqualTo(1.5);
    assertThat(last.serverMillis()).isNaN();
  }

  @Test
  void aFileOverTheBound_isReadFromItsLastWholeLine_onlyTheRecentTail() throws Exception {
    Path log = fixture();
    long size = Files.size(log);
    List<CostSample> samples = new ArrayList<>();

    AccessLogHistory.Summary summary = AccessLogHistory.read(log, size / 4, samples::add);

    assertThat(summary.startOffset()).isEqualTo(size - size / 4);
    // The line cut by the bound is dropped whole, not reported as a bad line.
    assertThat(summary.skipped()).isEmpty();
    assertThat(summary.lines()).isBetween(10L, 25L);
    assertThat(samples.get(samples.size() - 1).key()).isEqualTo("GET /v1/users/{id}");
    assertThat(summary.format()).contains("older lines not read");
  }

  @Test
  void aQueryString_isNotPartOfTheKey_andMethodsAreUpperCased() throws Exception {
    CostSample s =
        AccessLogHistory.parse("{\"method\":\"get\",\"path\":\"/v1/items/42?expand=all\"}");
    assertThat(s.key()).isEqualTo("GET /v1/items/{id}");
    assertThat(s.status()).isZero();
    assertThat(s.failed()).isTrue();
  }

  @Test
  void aFeedbackWeightInTheKey_isDropped_aFileLineIsOneRequest() throws Exception {
    // The file log has every request; the weight ext-proc-service set is for the sampled gRPC log.
    for (String key : new String[] {"10*POST /graphql #Search", "0*POST /graphql #Search"}) {
      CostSample s =
          AccessLogHistory.parse(
              "{\"method\":\"POST\",\"path\":\"/graphql\",\"code\":200,\"cost_key\":\""
                  + key
                  + "\"}");
      assertThat(s.key()).isEqualTo("POST /graphql #Search");
      assertThat(s.weight()).isEqualTo(1);
    }
  }

  @Test
  void aMissingFile_isAnIoError_andABadBoundIsRefused() {
    assertThatThrownBy(() -> AccessLogHistory.read(dir.resolve("none"), 1, s -> {}))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> AccessLogHistory.read(dir, 0, s -> {}))
        .hasMessage("maxBytes: 0 (expected: >= 1)");
  }

  private static RequestView view(String method, String path) {
    return RequestView.of(method, path, Map.of(), BodyView.EMPTY);
  }
}
