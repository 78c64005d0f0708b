package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.e2e.support.ExtProcAdmin;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped routing config with native routes, through the real Envoy: the header-decidable rule
 * that no body rule precedes (health probes) is decided in Envoy's route table without an ext_proc
 * stream, still shows in the decisions API, metrics and costs as stage {@code envoy-route} (Envoy
 * logs 1 in 100 of them, each counted as 100: the estimate is checked against Envoy's exact route
 * counter), ignores a spoofed pool header, and keeps deciding while ext-proc-service is down; a
 * header rule after the body rules (report paths) stays in ext_proc.
 */
class EnvoyRoutesIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/envoy-routes").envoyRoutes().build();

  @Test
  void headerRulesAreDecidedInEnvoy_andReported() throws Exception {
    SemlbStack stack = STACK.stack();
    long streams = stack.envoy().stat("http.semlb.ext_proc.streams_started");
    for (int i = 0; i < 20; i++) {
      assertThat(stack.send(get("/healthz")).pool()).isEqualTo("fast-path");
      assertThat(stack.send(get("/metrics")).pool()).isEqualTo("fast-path");
    }
    assertThat(
            stack
                .send(get("/healthz"), "x-semantic-pool", "high-compute", "X-Semantic-Pool", "x")
                .pool())
        .as("a spoofed pool header on a native route")
        .isEqualTo("fast-path");
    assertThat(stack.envoy().stat("http.semlb.ext_proc.streams_started") - streams)
        .as("ext_proc streams for 41 natively routed requests")
        .isZero();

    // A report path: its rule comes after the JSON rules, so ext_proc decides it.
    assertThat(stack.send(get("/reports/2026/q3")).pool()).isEqualTo("high-compute");
    assertThat(stack.envoy().stat("http.semlb.ext_proc.streams_started") - streams).isEqualTo(1);

    // The access log stream brings a sample of Envoy's decisions back (1 in 100, each counted
    // as 100): decisions API, metrics, costs. Envoy's own route counter is exact.
    Feedback before = Feedback.settled(stack);
    sendConcurrently(stack, "/healthz", PROBES);
    Feedback after = Feedback.settled(stack);
    assertThat(after.envoyExact - before.envoyExact)
        .as("Envoy's counter of the native route")
        .isEqualTo(PROBES);
    long estimate = after.estimate - before.estimate;
    long sampled = after.entries - before.entries;
    assertThat(after.estimate).as("each logged entry counts as 100").isEqualTo(100 * after.entries);
    assertThat(sampled).as("entries logged of %d probes", PROBES).isPositive();
    // k ~ Binomial(4000, 0.01): the estimate 100 k has a standard error of sqrt(4000 * 99) = 629.
    assertThat((double) estimate)
        .as("estimated envoy-route decisions for %d probes (%d logged)", PROBES, sampled)
        .isBetween(PROBES - 4.5 * 629, PROBES + 4.5 * 629);
    JsonNode decision = awaitEnvoyDecision(stack, "/healthz");
    assertThat(decision.path("pool").asText()).isEqualTo("fast-path");
    assertThat(decision.path("reason").asText()).contains("health-probes").contains("1 in 100");
    String costs = ExtProcAdmin.get(stack, "/api/costs?limit=50").body();
    assertThat(costs).contains("GET /healthz");

    // The dry run says which requests never reach ext_proc.
    assertThat(
            classify(stack, "GET", "/healthz", "").path("explanation").path("envoyRoute").asText())
        .isEqualTo("rule/health-probes");
    assertThat(
            classify(stack, "POST", "/reports", "{\"x\": 1}")
                .path("explanation")
                .path("envoyRoute")
                .isNull())
        .isTrue();
  }

  @Test
  void extProcDown_nativeRoutesStillDecide_theRestFailsOpen() throws Exception {
    SemlbStack stack = STACK.stack();
    stack.killExtProc();
    try {
      assertThat(stack.send(get("/healthz")).pool()).isEqualTo("fast-path");
      assertThat(stack.send(get("/readyz")).pool()).isEqualTo("fast-path");
      assertThat(stack.send(get("/v1/reports")).pool())
          .as("a header rule ext_proc decides")
          .isEqualTo("general");
      assertThat(
              stack
                  .send(
                      new LabelledRequest(
                          "general", "POST", "/jobs", "application/json", "{\"batch\": [1]}"))
                  .pool())
          .as("a body rule while ext-proc-service is down")
          .isEqualTo("general");
    } finally {
      stack.startExtProc();
      stack.awaitRouting();
    }
  }

  /** Probes sent to measure the sampled feedback: 40 logged entries expected. */
  private static final int PROBES = 4000;

  private static final Pattern ENVOY_ROUTE_DECISIONS =
      Pattern.compile(
          "semlb_decisions_total\\{pool=\"fast-path\",stage=\"envoy-route\",?\\} ([0-9.E]+)");
  private static final Pattern NATIVE_ENTRIES =
      Pattern.compile("semlb_feedback_native_route_entries_total ([0-9.E]+)");

  /**
   * The estimated envoy-route decisions and logged native-route entries ext-proc-service shows, and
   * Envoy's exact count of requests the health-probes route took.
   */
  private record Feedback(long estimate, long entries, long envoyExact) {

    static Feedback read(SemlbStack stack) throws Exception {
      String metrics = ExtProcAdmin.get(stack, "/metrics").body();
      return new Feedback(
          value(ENVOY_ROUTE_DECISIONS, metrics),
          value(NATIVE_ENTRIES, metrics),
          stack
              .envoy()
              .requireStat("vhost.semlb.route.native_health-probes.upstream_rq_completed"));
    }

    /** Reads until nothing changed for 1.5 s (Envoy flushes its log every 0.5 s), at most 20 s. */
    static Feedback settled(SemlbStack stack) throws Exception {
      Feedback last = read(stack);
      long stableSince = System.nanoTime();
      long deadline = stableSince + 20_000_000_000L;
      while (System.nanoTime() - stableSince < 1_500_000_000L) {
        assertThat(System.nanoTime()).as("feedback settled within 20 s").isLessThan(deadline);
        Thread.sleep(250);
        Feedback now = read(stack);
        if (!now.equals(last)) {
          last = now;
          stableSince = System.nanoTime();
        }
      }
      return last;
    }

    private static long value(Pattern p, String metrics) {
      Matcher m = p.matcher(metrics);
      return m.find() ? Math.round(Double.parseDouble(m.group(1))) : 0;
    }
  }

  private static void sendConcurrently(SemlbStack stack, String path, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> served = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        served.add(pool.submit(() -> stack.send(get(path)).pool()));
      }
      for (Future<String> f : served) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("fast-path");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static LabelledRequest get(String path) {
    return new LabelledRequest("", "GET", path, "", "");
  }

  private static JsonNode awaitEnvoyDecision(SemlbStack stack, String path) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode decisions =
          JSON.readTree(ExtProcAdmin.get(stack, "/api/decisions?limit=200").body());
      for (JsonNode d : decisions) {
        if (d.path("stage").asText().equals("envoy-route")
            && d.path("path").asText().equals(path)) {
          return d;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no envoy-route decision for " + path + " in the decisions API");
  }

  private static JsonNode classify(SemlbStack stack, String method, String path, String body)
      throws Exception {
    ObjectNodeBody in = new ObjectNodeBody(method, path, body);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + stack.extProc().adminPort() + "/api/classify"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(in)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private record ObjectNodeBody(String method, String path, String body) {}
}
