package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.LoadLoop;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two ext-proc-service replicas behind Envoy's ext_proc cluster: both take streams, and killing one
 * under load fails no request while the other goes on classifying (the health checks take the dead
 * one out; its in-flight streams fail open).
 */
class ExtProcReplicasIT {

  private static final Logger log = LoggerFactory.getLogger(ExtProcReplicasIT.class);

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/replicas").twoExtProcs().build();

  @Test
  void oneOfTwoClassifiersKilledUnderLoad_noRequestFails_andRoutingByMeaningGoesOn()
      throws Exception {
    SemlbStack stack = STACK.stack();
    List<LabelledRequest> workload =
        WorkloadFile.read(EnvoyProcess.repoRoot().resolve("scripts/workload.jsonl"));
    LoadLoop before = LoadLoop.start(stack, workload, 2);
    try (before) {
      Thread.sleep(1500);
    }
    Map<Integer, Long> streams = stack.envoy().requestsByHost("semlb_ext_proc");

    LoadLoop during = LoadLoop.start(stack, workload, 2);
    try (during) {
      Thread.sleep(500);
      stack.killExtProcReplica();
      Thread.sleep(3000);
    }
    long healthy = stack.envoy().requireStat("cluster.semlb_ext_proc.membership_healthy");
    LoadLoop after = LoadLoop.start(stack, workload, 2);
    try (after) {
      Thread.sleep(2000);
    }
    log.info(
        "streams by replica before the kill {}; before {}; during {}; after {}",
        streams,
        before,
        during,
        after);

    assertThat(streams.keySet()).containsExactlyInAnyOrderElementsOf(stack.extProcPorts());
    assertThat(streams.values())
        .as("both replicas take streams")
        .allSatisfy(n -> assertThat(n).isPositive());
    assertThat(before.failures()).isEmpty();
    assertThat(during.failures()).as("failed while one replica died").isEmpty();
    assertThat(after.failures()).isEmpty();
    assertThat(healthy).as("the dead replica is out of the cluster").isEqualTo(1);
    assertThat(after.byPool())
        .as("the survivor classifies: every pool is reached, not only the default")
        .containsKeys("general", "high-compute", "fast-path");
  }
}
