package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.ExtProcAdmin;
import dev.semlb.e2e.support.SemlbStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ext-proc-service admin API while real traffic flows through Envoy: decisions, stats, metrics
 * (checked with a real Prometheus text-format parser), dry-run classification and config; and no
 * request body or credential ever shows in any of them.
 */
class AdminApiIT {

  private static final String SECRET = "s3cr3t-t0k3n-4242";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final SemlbStackExtension STACK = SemlbStackExtension.builder("target/it/admin").build();

  @BeforeAll
  static void start() throws Exception {
    for (LabelledRequest r :
        WorkloadFile.read(EnvoyProcess.repoRoot().resolve("scripts/workload.jsonl"))) {
      assertThat(STACK.stack().send(r).status()).isEqualTo(200);
    }
    STACK
        .stack()
        .send(
            new LabelledRequest(
                "high-compute",
                "POST",
                "/jobs",
                "application/json",
                "{\"batch\": [1], \"apiKey\": \"" + SECRET + "\"}"),
            "authorization",
            "Bearer " + SECRET);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return ExtProcAdmin.get(STACK.stack(), path);
  }

  @Test
  void decisionsAndStats_reflectTheTraffic_withoutBodiesOrCredentials() throws Exception {
    JsonNode decisions = JSON.readTree(get("/api/decisions?limit=100").body());
    JsonNode stats = JSON.readTree(get("/api/stats").body());

    assertThat(decisions.size()).isGreaterThanOrEqualTo(20);
    assertThat(decisions.get(0).path("path").asText()).isEqualTo("/jobs");
    assertThat(decisions.get(0).path("pool").asText()).isEqualTo("high-compute");
    assertThat(decisions.get(0).path("stage").asText()).isEqualTo("rules");
    assertThat(stats.path("decisions").path("total").asDouble()).isGreaterThanOrEqualTo(20);
    assertThat(stats.path("decisions").path("byPool").path("fast-path").asDouble()).isPositive();
    JsonNode byStage = stats.path("decisions").path("byStage");
    assertThat(byStage.path("head").asDouble() + byStage.path("embedding").asDouble())
        .as("model decisions")
        .isPositive();
    for (String path :
        List.of("/api/decisions?limit=1000", "/api/stats", "/metrics", "/api/config")) {
      assertThat(get(path).body()).as(path).doesNotContain(SECRET);
    }
    assertThat(get("/api/decisions?limit=0").statusCode()).isEqualTo(400);
  }

  @Test
  void metrics_parseAsPrometheusText_andCountDecisions() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    Path file = Files.writeString(Path.of("target/it/admin/metrics.txt"), metrics.body());

    Process parser =
        new ProcessBuilder(
                "python3",
                "-c",
                String.join(
                    "\n",
                    "import sys",
                    "from prometheus_client.parser import text_string_to_metric_families",
                    "names = [f.name for f in text_string_to_metric_families(open(sys.argv[1]).read())]",
                    "print(len(names)); print(' '.join(sorted(names)))"),
                file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(parser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(parser.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(parser.exitValue()).as(out).isZero();
    assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(out)
        .contains(
            "semlb_decisions",
            "semlb_classification_seconds",
            "semlb_cache_requests",
            "semlb_extproc_streams_active",
            "semlb_config_version",
            "jvm_memory_used_bytes");
    assertThat(metrics.body())
        .contains("semlb_decisions_total{pool=\"fast-path\",stage=\"rules\"}");
  }

  @Test
  void classifyDryRun_explainsTheDecision_andConfigShowsThePools() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + STACK.stack().extProc().adminPort()
                            + "/api/classify"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"method\": \"POST\", \"path\": \"/vision/label\", \"contentType\": \"application/json\","
                            + " \"body\": {\"task\": \"tag every photo in the archive with objects and faces\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode result = JSON.readTree(r.body());
    JsonNode config = JSON.readTree(get("/api/config").body());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(result.path("decision").path("pool").asText()).isEqualTo("high-compute");
    assertThat(result.path("decision").path("stage").asText()).isIn("HEAD", "EMBEDDING", "CACHE");
    assertThat(result.path("explanation").path("signals").path("method POST").asDouble())
        .isEqualTo(1.0);
    assertThat(result.path("explanation").path("signals").path("JSON body").asDouble())
        .isEqualTo(1.0);
    assertThat(result.path("explanation").path("modelInput").asText()).contains("vision label");
    assertThat(result.path("explanation").path("matchedRule").isNull()).isTrue();
    assertThat(config.path("defaultPool").asText()).isEqualTo("general");
    assertThat(config.path("pools").findValuesAsText("name"))
        .contains("fast-path", "high-compute", "general");
    assertThat(
            HTTP.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:"
                                    + STACK.stack().extProc().adminPort()
                                    + "/api/classify"))
                        .POST(HttpRequest.BodyPublishers.ofString("not json"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(400);
  }
}
