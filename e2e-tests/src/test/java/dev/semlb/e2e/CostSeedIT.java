package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.e2e.support.ExtProcAdmin;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import dev.semlb.extproc.ExtProcServer;
import dev.semlb.extproc.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Measured costs seeded from an Envoy JSON access log ({@code ext-proc-service --cost-seed},
 * docs/classifier.md "Seeding from history"), through the real Envoy: the first request of a shape
 * that reads cheap but cost 400 ms in the log goes to high-compute, with no warm-up; a shape the
 * log says is cheap goes to fast-path; a rule still wins over the log; bad lines are counted and
 * skipped; a seed file that does not exist stops the service before it starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CostSeedIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SLOW_LINES = 25;
  private static final int CHEAP_LINES = 30;
  private static final int MIN_SAMPLES = 20; // the shipped routing.yaml's

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/cost-seed").build();

  @TempDir static Path dir;

  /** Reads like a one-record lookup (fast-path); the seed says it takes 400 ms. */
  private static final String SLOW = "/api/reports/4242";

  /** Reads like analytics (high-compute); the seed says it takes 3 ms. */
  private static final String CHEAP = "/api/analytics/cohorts?week=7";

  /** One line as Envoy writes it with the json_format of envoy/examples/cost-history-log.yaml. */
  private static String line(String method, String path, long upstreamUs, String serverTiming) {
    ObjectNode o = JSON.createObjectNode();
    o.put("bytes_sent", 11).put("code", 200).putNull("cost_key").put("method", method);
    o.put("path", path).putNull("pool").put("start_time", "2026-12-06T15:39:08.047Z");
    o.put("server_timing", serverTiming).put("upstream_us", upstreamUs);
    return o.toString();
  }

  /**
   * {@code n} lines of {@code GET path} ({@code %d}: 1000 + the line's index), each ~{@code ms}.
   */
  private static List<String> lines(String path, int n, int ms, boolean serverTiming) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long us = ms * 1000L + i * 100L;
      String timing = serverTiming ? "app;dur=" + us / 1000.0 : null;
      out.add(line("GET", String.format(path, 1000 + i), us + 900, timing));
    }
    return out;
  }

  /**
   * Restarts ext-proc-service with the measured stage on and its costs seeded from {@code seed}.
   */
  private static void restartSeeded(Path seed) throws Exception {
    SemlbStack stack = STACK.stack();
    stack.enableMeasured();
    stack.killExtProc();
    stack.startExtProc(seed);
    stack.awaitRouting();
    JsonNode measured = ExtProcAdmin.costs(stack).path("measured");
    assertThat(measured.path("enabled").asBoolean()).isTrue();
    assertThat(measured.path("minSamples").asInt()).isEqualTo(MIN_SAMPLES);
  }

  private static JsonNode cost(String key) throws Exception {
    return ExtProcAdmin.cost(STACK.stack(), key);
  }

  /** The admin API's dry run of {@code GET path}: nothing is recorded. */
  private static JsonNode classify(String path) throws Exception {
    String body = JSON.createObjectNode().put("method", "GET").put("path", path).toString();
    return JSON.readTree(ExtProcAdmin.post(STACK.stack(), "/api/classify", body).body());
  }

  /** The newest entry of {@code /api/decisions} (newest first) for {@code path} (no query). */
  private static JsonNode decisionFor(String path) throws Exception {
    for (JsonNode d : ExtProcAdmin.json(STACK.stack(), "/api/decisions?limit=1000")) {
      if (d.path("path").asText().equals(path)) {
        return d;
      }
    }
    return JSON.missingNode();
  }

  private static Served get(String pool, String path, int millis) throws Exception {
    return STACK
        .stack()
        .send(
            new LabelledRequest(pool, "GET", path, "", ""),
            SemlbStack.COST_HEADER,
            Integer.toString(millis));
  }

  @Test
  @Order(1)
  void theFirstRequestOfASeededShape_goesWhereItsHistorySays_withNoWarmUp() throws Exception {
    // Unseeded, no rule names either shape; the slow one reads cheap, the cheap one expensive.
    JsonNode slowRead = classify(SLOW);
    assertThat(slowRead.path("explanation").path("matchedRule").isNull()).isTrue();
    assertThat(slowRead.path("decision").path("pool").asText()).isIn("fast-path", "general");
    assertThat(slowRead.path("explanation").has("cost")).isFalse();
    JsonNode cheapRead = classify(CHEAP);
    assertThat(cheapRead.path("explanation").path("matchedRule").isNull()).isTrue();
    assertThat(cheapRead.path("decision").path("pool").asText()).isEqualTo("high-compute");
    List<String> log = new ArrayList<>(lines("/api/reports/%d?format=pdf", SLOW_LINES, 400, false));
    log.addAll(lines("/api/analytics/cohorts?week=%d", CHEAP_LINES, 3, true));
    log.addAll(lines("/v1/reports/%d", SLOW_LINES, 3, true));
    log.addAll(lines("/api/invoices/%d", MIN_SAMPLES - 1, 400, false));
    restartSeeded(Files.write(dir.resolve("access.jsonl"), log));
    assertThat(cost("GET /api/reports/{id}").path("count").asLong())
        .as("the seeded samples and no live one")
        .isEqualTo(SLOW_LINES);

    Served first = get("high-compute", SLOW, 400);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.pool()).isEqualTo("high-compute");
    assertThat(first.worker()).isEqualTo(STACK.stack().workers("high-compute").get(0).id());
    assertThat(first.decision()).startsWith("stage=measured;");
    JsonNode decided = decisionFor(SLOW);
    assertThat(decided.path("stage").asText()).isEqualTo("measured");
    assertThat(decided.path("pool").asText()).isEqualTo("high-compute");
    assertThat(decided.path("reason").asText())
        .contains("over " + SLOW_LINES + " requests")
        .contains("p50 >= 130ms");

    Served cheap = get("fast-path", CHEAP, 3);
    assertThat(cheap.pool()).isEqualTo("fast-path");
    assertThat(cheap.worker()).isEqualTo(STACK.stack().workers("fast-path").get(0).id());
    assertThat(cheap.decision()).startsWith("stage=measured;");
    assertThat(decisionFor("/api/analytics/cohorts").path("reason").asText())
        .contains("over " + CHEAP_LINES + " requests")
        .contains("p50 <= 13ms");

    Served tooFew = get("fast-path", "/api/invoices/4242", 400);
    assertThat(tooFew.pool()).as("19 lines: too few to decide").isIn("fast-path", "general");
    assertThat(tooFew.decision()).doesNotStartWith("stage=measured;");
  }

  @Test
  @Order(2)
  void aRuleStillWins_overASeededCost() throws Exception {
    // Seeded above with enough 3 ms lines for fast-path, but report-and-export-endpoints names it.
    JsonNode seeded = cost("GET /v1/reports/{id}");
    assertThat(seeded.path("count").asLong()).isEqualTo(SLOW_LINES);
    assertThat(seeded.path("millis").path("p50").asDouble()).isLessThan(25.0);
    JsonNode dryRun = classify("/v1/reports/77");
    assertThat(dryRun.path("explanation").path("matchedRule").asText())
        .isEqualTo("report-and-export-endpoints");
    assertThat(dryRun.path("explanation").path("cost").path("count").asLong())
        .isEqualTo(SLOW_LINES);

    Served served = get("high-compute", "/v1/reports/77", 3);

    assertThat(served.pool()).isEqualTo("high-compute");
    assertThat(served.decision()).startsWith("stage=rules;");
  }

  @Test
  @Order(3)
  void badLinesInTheSeed_areCountedAndSkipped_andTheGoodOnesStillCount() throws Exception {
    List<String> log = new ArrayList<>(lines("/api/reports/%d", MIN_SAMPLES, 400, false));
    log.add("not json at all");
    log.add("[1, 2]");
    log.add("{\"method\": \"GET\"}");
    log.add(
        line("GET", "/api/reports/1", 1, null)
            .replace("\"upstream_us\":1", "\"upstream_us\":\"soon\""));
    log.add(line("GET", "/api/reports/1" + "9".repeat(20_000), 400_000, null));
    log.add("");
    Path seed = Files.write(dir.resolve("bad.jsonl"), log);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger logger = context.getLogger(ExtProcServer.class);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    logger.addAppender(captured);
    try {
      restartSeeded(seed);
    } finally {
      logger.detachAppender(captured);
    }

    List<String> seeded =
        captured.list.stream()
            .map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.startsWith("measured costs seeded: "))
            .toList();
    assertThat(seeded).hasSize(1);
    assertThat(seeded.get(0))
        .contains(MIN_SAMPLES + " samples from " + (MIN_SAMPLES + 5) + " lines of " + seed)
        .contains(
            "skipped 5 {longer than 16384 bytes=1, no path=1, not JSON=1, not a JSON object=1,"
                + " upstream_us not a number=1}");
    // Only the start-up summary counts skipped lines; /api/costs holds what the good ones gave.
    assertThat(cost("GET /api/reports/{id}").path("count").asLong()).isEqualTo(MIN_SAMPLES);
    Served first = get("high-compute", "/api/reports/5151", 400);
    assertThat(first.pool()).as("the good lines are enough").isEqualTo("high-compute");
    assertThat(first.decision()).startsWith("stage=measured;");
  }

  @Test
  @Order(4)
  void aSeedFileThatDoesNotExist_stopsTheServiceBeforeItStarts() throws Exception {
    Path missing = dir.resolve("no-such-access.jsonl");
    Path output = dir.resolve("main.out");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--routing",
                STACK.stack().routingFile().toString(),
                "--port",
                "0",
                "--admin-port",
                "-1",
                "--cost-seed",
                missing.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits at once").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(output).strip();

    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out)
        .isEqualTo("ext-proc-service: --cost-seed: '" + missing + "' (expected: an existing file)");
  }
}
