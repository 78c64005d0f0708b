package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.LoadLoop;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults injected under steady load through the real Envoy: every request is counted, and none may
 * fail. Each test logs its counts and worst latency (docs/reliability.md quotes them).
 */
class FaultsIT {

  private static final Logger log = LoggerFactory.getLogger(FaultsIT.class);
  private static final LabelledRequest BATCH =
      new LabelledRequest(
          "high-compute", "POST", "/jobs", "application/json", "{\"batch\": [1, 2, 3]}");

  @RegisterExtension
  final SemlbStackExtension fresh =
      SemlbStackExtension.builder("target/it/faults").perTest().build();

  private List<LabelledRequest> workload;

  @BeforeEach
  void readWorkload() throws Exception {
    workload = WorkloadFile.read(EnvoyProcess.repoRoot().resolve("scripts/workload.jsonl"));
  }

  private long msUntilRoutedByMeaning(long limitMs) throws Exception {
    long start = System.nanoTime();
    while ((System.nanoTime() - start) / 1_000_000 < limitMs) {
      if ("high-compute".equals(fresh.stack().send(BATCH).pool())) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("routing by meaning did not resume within " + limitMs + " ms");
  }

  @Test
  void extProcKilledAndRestarted_underLoad_noRequestFails_andRoutingResumesWithinSeconds()
      throws Exception {
    long resumeMs;
    LoadLoop load = LoadLoop.start(fresh.stack(), workload, 2);
    try (load) {
      Thread.sleep(1000);
      fresh.stack().killExtProc();
      Thread.sleep(2000);
      fresh.stack().startExtProc();
      resumeMs = msUntilRoutedByMeaning(10_000);
      Thread.sleep(500);
    }
    log.info(
        "ext-proc killed and restarted: {}; routing by meaning resumed {} ms after restart",
        load,
        resumeMs);

    assertThat(load.failures()).isEmpty();
    assertThat(load.sent()).isGreaterThan(100);
    assertThat(load.byPool()).containsKeys("general", "high-compute", "fast-path");
    assertThat(resumeMs).isLessThan(5000);
  }

  @Test
  void extProcStalled_requestsAreServedWithinTheTimeoutBudget_andNoClientPicksItsPool()
      throws Exception {
    LoadLoop load;
    Served spoofed;
    long healthyDuringStall;
    List<Long> afterEjectionMs = new java.util.ArrayList<>();
    try (AutoCloseable stalled = fresh.stack().stallExtProc()) {
      load = LoadLoop.start(fresh.stack(), workload, 2);
      try (load) {
        Thread.sleep(3000);
        spoofed =
            fresh
                .stack()
                .send(
                    new LabelledRequest("general", "GET", "/healthz", "", ""),
                    "x-semantic-pool",
                    "fast-path");
        // Three seconds in, the health checks have taken the stalled host out: requests no
        // longer wait out the message timeout.
        healthyDuringStall =
            fresh.stack().envoy().requireStat("cluster.semlb_ext_proc.membership_healthy");
        for (int i = 0; i < 21; i++) {
          long start = System.nanoTime();
          fresh.stack().send(workload.get(i % workload.size()));
          afterEjectionMs.add((System.nanoTime() - start) / 1_000_000);
        }
      }
    }
    log.info(
        "ext-proc stalled (answers nothing): {}; 21 requests after 3 s took {} ms",
        load,
        afterEjectionMs);
    fresh.stack().startExtProc();
    long resumeMs = msUntilRoutedByMeaning(10_000);

    assertThat(load.failures()).isEmpty();
    assertThat(load.sent()).isGreaterThan(10);
    assertThat(load.byPool())
        .as("fail-open: everything to the default pool")
        .containsOnlyKeys("general");
    // Envoy's message_timeout is 200 ms; the rest is proxying on a busy 2-core machine.
    assertThat(load.worstMs()).isLessThan(1000);
    assertThat(spoofed.pool()).isEqualTo("general");
    assertThat(fresh.stack().envoy().stat("http.semlb.ext_proc.message_timeouts")).isPositive();
    assertThat(healthyDuringStall).as("the stalled host is out of the ext_proc cluster").isZero();
    assertThat(fresh.stack().envoy().stat("cluster.semlb_ext_proc.health_check.failure"))
        .isPositive();
    List<Long> sorted = afterEjectionMs.stream().sorted().toList();
    assertThat(sorted.get(sorted.size() / 2))
        .as("median ms once the stalled host is out")
        .isLessThan(20);
    assertThat(sorted.get(sorted.size() - 1))
        .as("none waits out the 200 ms message timeout")
        .isLessThan(200);
    assertThat(resumeMs).isLessThan(5000);
  }

  @Test
  void xdsKilled_envoyKeepsRouting_andARestartResyncsWithoutEndpointChurn() throws Exception {
    long membershipBefore = membershipChanges();
    assertThat(membershipBefore).as("the initial endpoints count as changes").isPositive();
    long modifiedBefore = fresh.stack().envoy().requireStat("cluster_manager.cluster_modified");
    LoadLoop load = LoadLoop.start(fresh.stack(), workload, 2);
    long connected;
    try (load) {
      Thread.sleep(500);
      fresh.stack().killXds();
      Thread.sleep(3000);
      assertThat(fresh.stack().envoy().requireStat("control_plane.connected_state")).isZero();
      fresh.stack().restartXds();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (fresh.stack().envoy().requireStat("control_plane.connected_state") != 1
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      connected = fresh.stack().envoy().requireStat("control_plane.connected_state");
      Thread.sleep(2000);
    }
    log.info("xds-server killed for 3 s and restarted: {}", load);

    assertThat(load.failures()).isEmpty();
    assertThat(load.byPool()).containsKeys("general", "high-compute", "fast-path");
    assertThat(connected).as("Envoy reconnected to the new xds-server").isEqualTo(1);
    assertThat(membershipChanges())
        .as("same endpoints re-sent: no membership change")
        .isEqualTo(membershipBefore);
    assertThat(fresh.stack().envoy().requireStat("cluster_manager.cluster_modified"))
        .as("same clusters: none modified")
        .isEqualTo(modifiedBefore);
  }

  private long membershipChanges() throws Exception {
    long sum = 0;
    for (String pool : SemlbStack.POOLS) {
      sum += fresh.stack().envoy().requireStat("cluster.semlb-pool-" + pool + ".membership_change");
    }
    return sum;
  }

  @Test
  void workerKilled_underLoad_isEjected_withoutClientErrors() throws Exception {
    fresh.stack().addWorker("fast-path");
    Thread.sleep(1500);
    List<LabelledRequest> reads =
        workload.stream()
            .filter(r -> r.method().equals("GET") || r.method().equals("HEAD"))
            .toList();
    LoadLoop load = LoadLoop.start(fresh.stack(), reads, 2);
    try (load) {
      Thread.sleep(1000);
      fresh.stack().workers("fast-path").get(0).close();
      Thread.sleep(3000);
    }
    log.info("one of two fast-path workers killed: {}", load);

    assertThat(load.failures()).isEmpty();
    assertThat(load.byPool().getOrDefault("fast-path", 0L)).isGreaterThan(50);
    assertThat(
            fresh.stack().envoy().stat("cluster.semlb-pool-fast-path.upstream_rq_retry")
                + fresh
                    .stack()
                    .envoy()
                    .stat(
                        "cluster.semlb-pool-fast-path.outlier_detection.ejections_enforced_total"))
        .as("Envoy retried or ejected: the kill was seen")
        .isPositive();
  }
}
