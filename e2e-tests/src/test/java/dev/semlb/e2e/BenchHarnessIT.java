package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.e2e.support.EnvoyProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness itself works: a smoke run (one short rate per scenario, real Envoy, real
 * Vegeta) completes, checks every response's pool, and produces a well-formed report. The numbers
 * of a smoke run mean nothing; scripts/bench.sh makes the real ones.
 */
class BenchHarnessIT {

  private static String run(Path out, List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .directory(EnvoyProcess.repoRoot().toFile())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(8, TimeUnit.MINUTES)).isTrue();
    Files.writeString(
        out.resolve("harness.log"),
        log,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(p.exitValue()).as(log).isZero();
    return log;
  }

  @Test
  void smokeRun_producesAWellFormedReport() throws Exception {
    String vegeta = System.getenv("VEGETA_BIN");
    assertThat(vegeta).as("VEGETA_BIN (run the tests with scripts/test.sh)").isNotBlank();
    Path out = Files.createDirectories(Path.of("target/bench-smoke").toAbsolutePath());

    run(out, List.of("python3", "bench/e2e/loadbench.py", "--smoke", "--out", out.toString()));
    String report =
        run(
            out,
            List.of("python3", "bench/e2e/report.py", out.resolve("e2e-smoke.json").toString()));

    JsonNode json = new ObjectMapper().readTree(out.resolve("e2e-smoke.json").toFile());
    for (String scenario : List.of("baseline", "rules", "cache-hit", "embedding")) {
      JsonNode s = json.path("overhead").path(scenario);
      assertThat(s.path("rates")).as(scenario).isNotEmpty();
      for (JsonNode run : s.path("rates")) {
        assertThat(run.path("requests").asInt()).as(scenario).isPositive();
        assertThat(run.path("success").asDouble()).as(scenario).isEqualTo(1.0);
        assertThat(run.path("misrouted").asInt()).as(scenario).isZero();
        assertThat(run.path("p99_ms").asDouble()).as(scenario).isPositive();
      }
      assertThat(s.path("saturation").path("achieved_rps").asDouble()).as(scenario).isPositive();
    }
    for (String routing : List.of("round-robin", "semlb")) {
      for (String kind : List.of("fast", "general", "heavy", "all")) {
        assertThat(json.path("head_of_line").path(routing).path(kind).path("requests").asInt())
            .as(routing + " " + kind)
            .isPositive();
      }
    }
    // The measured-cost and overload experiments ran and answered every request.
    for (String variant : List.of("semantic", "measured")) {
      JsonNode kinds = json.path("deceptive").path(variant).path("kinds");
      for (String kind : List.of("fast", "general", "rule-cheap", "deceptive-orders", "all")) {
        assertThat(kinds.path(kind).path("requests").asInt()).as(variant + " " + kind).isPositive();
        assertThat(kinds.path(kind).path("errors").asInt()).as(variant + " " + kind).isZero();
      }
      assertThat(kinds.path("rule-cheap").path("misrouted").asInt())
          .as("a rule's decision is never overridden (%s)", variant)
          .isZero();
    }
    assertThat(json.path("feedback").path("ratio").asDouble()).isPositive();
    assertThat(json.path("cost_keys_memory").path("cost_totals").path("keys").asInt()).isPositive();
    assertThat(json.path("overload").path("ramp"))
        .as("the model path's saturation ramp")
        .isNotEmpty();
    assertThat(json.path("overload").path("rows")).hasSize(3);
    for (JsonNode row : json.path("overload").path("rows")) {
      assertThat(row.path("semlb").path("requests").asInt()).isPositive();
    }
    for (String variant : List.of("ext_proc_only", "envoy_routes", "native_first")) {
      for (String row : List.of("bodiless_header_rule", "body_rule", "mixed_workload")) {
        JsonNode r = json.path("envoy_routes").path(variant).path(row);
        assertThat(r.path("ratio").asDouble()).as(variant + " " + row).isPositive();
        assertThat(r.path("semlb").path("requests").asInt()).as(variant + " " + row).isPositive();
      }
      // Envoy's own counters: a native route opens no ext_proc stream, a body rule always does.
      JsonNode routes = json.path("envoy_routes").path(variant);
      assertThat(routes.path("bodiless_header_rule").path("without_ext_proc").asDouble())
          .as(variant)
          .isEqualTo(variant.equals("ext_proc_only") ? 0.0 : 1.0);
      assertThat(routes.path("body_rule").path("without_ext_proc").asDouble()).as(variant).isZero();
    }
    // Header rules first: more of the mixed workload skips ext_proc than with the shipped order.
    assertThat(
            json.path("envoy_routes")
                .path("native_first")
                .path("mixed_workload")
                .path("without_ext_proc")
                .asDouble())
        .isGreaterThan(
            json.path("envoy_routes")
                .path("envoy_routes")
                .path("mixed_workload")
                .path("without_ext_proc")
                .asDouble());
    // The LLM time-to-first-byte experiment: every stream answered, whole, and counted.
    JsonNode ttfb = json.path("llm_ttfb");
    for (String variant : List.of("envoy-only", "semlb-unique", "semlb-repeated")) {
      JsonNode v = ttfb.path(variant);
      assertThat(v.path("ok").asInt()).as(variant).isPositive();
      assertThat(v.path("errors").asInt()).as(variant).isZero();
      assertThat(v.path("usage_matches_content").asInt())
          .as(variant)
          .isEqualTo(v.path("ok").asInt());
      assertThat(v.path("ttfb_p99_ms").asDouble()).as(variant).isPositive();
    }
    assertThat(ttfb.path("tokens").path("counted_equals_usage").asBoolean())
        .as(
            "semlb_llm_tokens_total grew by the usage the clients received: %s",
            ttfb.path("tokens"))
        .isTrue();
    assertThat(report)
        .contains("| rules path, saturation vs Envoy-only baseline |")
        .contains("## Native routes")
        .contains("## Head-of-line blocking")
        .contains("## Overload")
        .contains("## Deceptive workload");
    assertThat(out.resolve("e2e-smoke.md")).exists();
  }
}
