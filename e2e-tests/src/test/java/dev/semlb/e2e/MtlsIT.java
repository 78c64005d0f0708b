package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.e2e.support.SemlbStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Optional mutual TLS between Envoy and both services: Envoy routes by meaning with pools from the
 * xds-server, both over mTLS, while a client without Envoy's certificate (plaintext, or TLS without
 * a client certificate) is refused. Checked with the real grpc-health-probe.
 */
class MtlsIT {

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/mtls").mtls().build();

  private static String probe(int port, String serverName, boolean tls, boolean clientCert)
      throws Exception {
    String bin = System.getenv("GRPC_HEALTH_PROBE_BIN");
    if (bin == null || !Files.isExecutable(Path.of(bin))) {
      throw new IllegalStateException(
          "GRPC_HEALTH_PROBE_BIN is not an executable (run the tests with scripts/test.sh)");
    }
    List<String> args =
        new ArrayList<>(
            List.of(bin, "-addr=127.0.0.1:" + port, "-connect-timeout=2s", "-rpc-timeout=2s"));
    if (tls) {
      args.addAll(
          List.of("-tls", "-tls-ca-cert=" + STACK.certs().ca(), "-tls-server-name=" + serverName));
      if (clientCert) {
        args.addAll(
            List.of(
                "-tls-client-cert=" + STACK.certs().cert("envoy"),
                "-tls-client-key=" + STACK.certs().key("envoy")));
      }
    }
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() + " " + out;
  }

  @Test
  void envoyRoutesByMeaningOverMtls_andClientsWithoutItsCertificateAreRefused() throws Exception {
    var batch =
        STACK
            .stack()
            .send(
                new LabelledRequest(
                    "high-compute", "POST", "/jobs", "application/json", "{\"batch\": [1]}"));
    var probe = STACK.stack().send(new LabelledRequest("fast-path", "GET", "/healthz", "", ""));

    assertThat(batch.pool()).isEqualTo("high-compute");
    assertThat(probe.pool()).isEqualTo("fast-path");
    assertThat(STACK.stack().envoy().requireStat("cluster.semlb_ext_proc.ssl.handshake"))
        .isPositive();
    assertThat(STACK.stack().envoy().requireStat("cluster.semlb_xds.ssl.handshake")).isPositive();
    assertThat(STACK.stack().envoy().stat("http.semlb.ext_proc.failure_mode_allowed"))
        .as("no fail-open: mTLS works")
        .isZero();

    int extProc = STACK.stack().extProcPort();
    assertThat(probe(extProc, "ext-proc-service", true, true)).isEqualTo("0 status: SERVING");
    assertThat(probe(extProc, "ext-proc-service", false, false)).doesNotStartWith("0 ");
    assertThat(probe(extProc, "ext-proc-service", true, false))
        .as("TLS without a client certificate")
        .doesNotStartWith("0 ");
    int xds = STACK.stack().xds().port();
    assertThat(probe(xds, "xds-server", true, true)).isEqualTo("0 status: SERVING");
    assertThat(probe(xds, "xds-server", false, false)).doesNotStartWith("0 ");
  }
}
