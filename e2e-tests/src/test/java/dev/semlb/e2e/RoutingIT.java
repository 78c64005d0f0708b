package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requests reach the pool their meaning calls for, through the real Envoy. */
class RoutingIT {

  @RegisterExtension
  static final SemlbStackExtension STACK = SemlbStackExtension.builder("target/it/routing").build();

  private static List<String> misrouted(List<LabelledRequest> workload) throws Exception {
    List<String> wrong = new ArrayList<>();
    for (LabelledRequest r : workload) {
      Served served = STACK.stack().send(r);
      if (served.status() != 200 || !r.expectedPool().equals(served.pool())) {
        wrong.add(r.describe() + " but got " + served);
      }
    }
    return wrong;
  }

  @Test
  void shippedMixedWorkload_reachesTheExpectedPools() throws Exception {
    List<LabelledRequest> workload =
        WorkloadFile.read(EnvoyProcess.repoRoot().resolve("scripts/workload.jsonl"));

    assertThat(misrouted(workload)).isEmpty();
    assertThat(workload).extracting(LabelledRequest::expectedPool).containsAll(SemlbStack.POOLS);
  }

  @Test
  void referenceWorkload_reachesTheExpectedPools() throws Exception {
    Path seed =
        EnvoyProcess.repoRoot()
            .resolve("../shared/reference/semantic-lb-load-test-payloads.tsv")
            .normalize();
    if (!Files.exists(seed)) {
      if ("true".equals(System.getenv("CI"))) {
        fail("reference workload missing in CI: " + seed);
      }
      Assumptions.abort("reference workload not beside this checkout: " + seed);
    }

    assertThat(misrouted(WorkloadFile.read(seed))).isEmpty();
  }

  @Test
  void spoofedPoolHeader_isIgnored() throws Exception {
    Served probe =
        STACK
            .stack()
            .send(
                new LabelledRequest("fast-path", "GET", "/healthz", "", ""),
                "x-semantic-pool",
                "high-compute");
    Served batch =
        STACK
            .stack()
            .send(
                new LabelledRequest(
                    "high-compute",
                    "POST",
                    "/jobs",
                    "application/json",
                    "{\"batch\": [{\"op\": \"ingest\"}]}"),
                "x-semantic-pool",
                "fast-path");
    Served write =
        STACK
            .stack()
            .send(
                new LabelledRequest(
                    "general", "PUT", "/api/users/7", "application/json", "{\"name\": \"x\"}"),
                "x-semantic-pool",
                "fast-path");

    assertThat(probe.pool()).isEqualTo("fast-path");
    assertThat(probe.decision())
        .as("the optional x-semantic-decision header reached the worker")
        .isEqualTo("stage=rules; confidence=1.00");
    assertThat(batch.pool()).isEqualTo("high-compute");
    assertThat(write.pool()).isEqualTo("general");
  }

  @Test
  void bodyOverTheLimit_gets413_andALargeBodyUnderItIsRouted() throws Exception {
    byte[] tooBig = new byte[3 * 1024 * 1024];
    byte[] big = new byte[1_500_000];

    Served rejected =
        STACK
            .stack()
            .send(
                "POST",
                "/upload",
                "application/octet-stream",
                HttpRequest.BodyPublishers.ofByteArray(tooBig));
    Served accepted =
        STACK
            .stack()
            .send(
                "POST",
                "/upload",
                "application/octet-stream",
                HttpRequest.BodyPublishers.ofByteArray(big));

    assertThat(rejected.status()).isEqualTo(413);
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(accepted.pool()).isEqualTo("general");
  }

  @Test
  void classifierAnswersEveryStream_withoutRejectedMutations() throws Exception {
    STACK.stack().send(new LabelledRequest("fast-path", "GET", "/healthz", "", ""));

    assertThat(STACK.stack().envoy().stat("http.semlb.ext_proc.streams_started")).isPositive();
    assertThat(STACK.stack().envoy().stat("http.semlb.ext_proc.rejected_header_mutations"))
        .isZero();
    assertThat(STACK.stack().envoy().stat("http.semlb.ext_proc.streams_failed")).isZero();
  }
}
