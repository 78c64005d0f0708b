package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the ext-proc-service gone, every request is still served, by the default pool, and a client
 * still cannot choose its pool; when the service returns, routing resumes.
 */
class FailOpenIT {

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/fail-open").build();

  @Test
  void classifierDown_everyRequestServedByGeneral_thenRoutingResumes() throws Exception {
    List<LabelledRequest> workload =
        WorkloadFile.read(EnvoyProcess.repoRoot().resolve("scripts/workload.jsonl"));
    STACK.stack().killExtProc();

    for (LabelledRequest r : workload) {
      Served served = STACK.stack().send(r);
      assertThat(served.status()).as(r.describe()).isEqualTo(200);
      assertThat(served.pool()).as(r.describe()).isEqualTo("general");
    }
    Served spoofed =
        STACK
            .stack()
            .send(
                new LabelledRequest("general", "GET", "/healthz", "", ""),
                "x-semantic-pool",
                "fast-path");
    assertThat(spoofed.pool())
        .as("a client-sent pool header while the classifier is down")
        .isEqualTo("general");
    assertThat(STACK.stack().envoy().stat("http.semlb.ext_proc.failure_mode_allowed")).isPositive();

    STACK.stack().startExtProc();
    STACK.stack().awaitRouting();
    Served batch =
        STACK
            .stack()
            .send(
                new LabelledRequest(
                    "high-compute", "POST", "/jobs", "application/json", "{\"batch\": [1, 2, 3]}"));
    assertThat(batch.pool()).isEqualTo("high-compute");
  }
}
