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
 * The soak test, shortened for CI: 30 s of the mixed workload at 150 requests/s through the real
 * Envoy (scripts/soak.sh runs it for 10 minutes). No request may fail, no ext_proc stream may stay
 * open after the load, and memory must level off.
 */
class SoakIT {

  @Test
  void shortSoak_noErrors_noOpenStreams_noGrowth() throws Exception {
    assertThat(System.getenv("VEGETA_BIN"))
        .as("VEGETA_BIN (run the tests with scripts/test.sh)")
        .isNotBlank();
    Path out = Files.createDirectories(Path.of("target/soak").toAbsolutePath());
    Process p =
        new ProcessBuilder(
                List.of(
                    "scripts/soak.sh",
                    "--duration",
                    "30",
                    "--slice",
                    "10",
                    "--rate",
                    "150",
                    "--out",
                    out.resolve("soak.json").toString()))
            .directory(EnvoyProcess.repoRoot().toFile())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    Files.writeString(out.resolve("soak.log"), log);

    JsonNode report = new ObjectMapper().readTree(out.resolve("soak.json").toFile());
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(report.path("requests").asInt()).isGreaterThanOrEqualTo(4000);
    assertThat(report.path("errors").asInt()).isZero();
    assertThat(report.path("streams_open_after").asInt()).isZero();
    assertThat(report.path("leak_suspected").asBoolean()).isFalse();
    assertThat(report.path("samples")).hasSize(3);
    for (JsonNode sample : report.path("samples")) {
      assertThat(sample.path("rss_ext-proc-service_mb").asDouble()).isPositive();
      assertThat(sample.path("live_data_mb").asDouble()).isPositive();
    }
  }
}
