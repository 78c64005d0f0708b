package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.extproc.ExtProcServer;
import dev.semlb.extproc.ServiceConfig;
import dev.semlb.xds.XdsConfig;
import dev.semlb.xds.XdsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Both gRPC services answer the standard health protocol as Kubernetes and Docker probes see it:
 * checked with the real {@code grpc-health-probe} binary, including the switch to NOT_SERVING while
 * a graceful shutdown drains.
 */
class HealthProbeIT {

  private static String probeBinary() {
    String bin = System.getenv("GRPC_HEALTH_PROBE_BIN");
    if (bin == null || bin.isBlank() || !Files.isExecutable(Path.of(bin))) {
      throw new IllegalStateException(
          "GRPC_HEALTH_PROBE_BIN is not an executable (run the tests with scripts/test.sh)");
    }
    return bin;
  }

  /** Runs the probe; returns its exit code and output. */
  private static String probe(int port, String service) throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    probeBinary(),
                    "-addr=127.0.0.1:" + port,
                    "-service=" + service,
                    "-connect-timeout=2s",
                    "-rpc-timeout=2s"))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() + " " + out;
  }

  @Test
  void extProcService_servesHealth_andReportsNotServingWhileDraining() throws Exception {
    ExtProcServer server =
        ExtProcServer.start(
            new ServiceConfig(
                "127.0.0.1",
                0,
                EnvoyProcess.repoRoot().resolve("config/routing.yaml"),
                4,
                Duration.ofSeconds(3),
                false));
    try {
      assertThat(probe(server.port(), "")).isEqualTo("0 status: SERVING");
      assertThat(probe(server.port(), "envoy.service.ext_proc.v3.ExternalProcessor"))
          .isEqualTo("0 status: SERVING");
      assertThat(probe(server.port(), "no.such.Service")).startsWith("3 ");

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      Thread.sleep(500);
      assertThat(probe(server.port(), "")).startsWith("4 ").contains("NOT_SERVING");
      closing.get(20, TimeUnit.SECONDS);
    } finally {
      server.kill();
    }
  }

  @Test
  void xdsServer_servesHealth() throws Exception {
    try (XdsServer server =
        XdsServer.start(
            new XdsConfig(
                "127.0.0.1",
                0,
                EnvoyProcess.repoRoot().resolve("config/pools.yaml"),
                Duration.ofSeconds(10),
                Duration.ZERO,
                false))) {
      assertThat(probe(server.port(), "")).isEqualTo("0 status: SERVING");
      assertThat(probe(server.port(), "envoy.service.discovery.v3.AggregatedDiscoveryService"))
          .isEqualTo("0 status: SERVING");
    }
  }
}
