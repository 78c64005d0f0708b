package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import dev.semlb.worker.Registration;
import dev.semlb.worker.WorkerServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xds-server's traffic controls, seen through the real Envoy: leased registration, blue/green
 * weights, per-endpoint weights, failover to the fallback pool, and ring-hash affinity. Requests
 * for {@code GET /healthz} are classified fast-path by a rule, so the tests steer fast-path's
 * endpoints and count which worker answered.
 */
class TrafficPoliciesIT {

  private static final Logger log = LoggerFactory.getLogger(TrafficPoliciesIT.class);
  private static final LabelledRequest PROBE =
      new LabelledRequest("fast-path", "GET", "/healthz", "", "");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  final SemlbStackExtension fresh =
      SemlbStackExtension.builder("target/it/traffic").perTest().build();

  private final List<WorkerServer> extra = new ArrayList<>();

  @AfterEach
  void stopExtraWorkers() {
    extra.forEach(WorkerServer::close);
  }

  private int port(String pool, int i) {
    return fresh.stack().workers(pool).get(i).port();
  }

  private HttpResponse<String> admin(String method, String path, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(fresh.stack().xdsAdmin() + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends probes until {@code until} holds for the worker that answered; returns the ms it took.
   */
  private long msUntil(java.util.function.Predicate<Served> until, Duration limit)
      throws Exception {
    long start = System.nanoTime();
    while (System.nanoTime() - start < limit.toNanos()) {
      Served served = fresh.stack().send(PROBE);
      assertThat(served.status()).as("no client error while endpoints change").isEqualTo(200);
      if (until.test(served)) {
        return (System.nanoTime() - start) / 1_000_000;
      }
    }
    throw new AssertionError("not reached within " + limit);
  }

  /** Sends {@code n} probes in a row; returns how many each worker answered. */
  private Map<String, Integer> spread(int n) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Served served = fresh.stack().send(PROBE);
      assertThat(served.status()).isEqualTo(200);
      counts.merge(served.worker(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void registeredEndpoint_getsTrafficWithin2s_andLosesItWithin2sOfDeregistrationOrLeaseExpiry()
      throws Exception {
    WorkerServer newcomer = SemlbStack.startUnlisted("fast-path", 0, "newcomer", null);
    extra.add(newcomer);
    String address = "127.0.0.1:" + newcomer.port();

    HttpResponse<String> registered =
        admin(
            "POST",
            "/api/pools/fast-path/endpoints",
            "{\"address\":\"" + address + "\",\"ttlSeconds\":60}");
    long joinMs = msUntil(s -> "newcomer".equals(s.worker()), Duration.ofSeconds(5));
    String pools = admin("GET", "/api/pools", null).body();
    long deleteAt = System.nanoTime();
    HttpResponse<String> deleted =
        admin("DELETE", "/api/pools/fast-path/endpoints/" + address, null);
    long leaveMs = (lastAnswerFrom("newcomer") - deleteAt) / 1_000_000;

    long leaseEnds = System.nanoTime() + 1_000_000_000L; // a lease of 1s, taken just after this
    admin(
        "POST",
        "/api/pools/fast-path/endpoints",
        "{\"address\":\"" + address + "\",\"ttlSeconds\":1}");
    msUntil(s -> "newcomer".equals(s.worker()), Duration.ofSeconds(5));
    long expireMs = (lastAnswerFrom("newcomer") - leaseEnds) / 1_000_000;
    log.info(
        "registration: joined in {} ms, left {} ms after DELETE, {} ms after lease end",
        joinMs,
        leaveMs,
        expireMs);

    assertThat(registered.statusCode()).isEqualTo(201);
    assertThat(pools).contains("\"source\" : \"registration\"").contains("\"source\" : \"file\"");
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(joinMs).isLessThan(2000);
    assertThat(leaveMs).isLessThan(2000);
    assertThat(expireMs).isLessThan(2000);
  }

  /**
   * Probes until {@code worker} has answered none of the last 20 probes; returns the time ({@link
   * System#nanoTime}) of its last answer, or of the call if it gave none.
   */
  private long lastAnswerFrom(String worker) throws Exception {
    long start = System.nanoTime();
    long last = start;
    int quiet = 0;
    while (quiet < 20) {
      Served served = fresh.stack().send(PROBE);
      assertThat(served.status()).isEqualTo(200);
      if (worker.equals(served.worker())) {
        last = System.nanoTime();
        quiet = 0;
      } else {
        quiet++;
      }
      assertThat(System.nanoTime() - start)
          .as("still served by " + worker)
          .isLessThan(10_000_000_000L);
    }
    return last;
  }

  @Test
  void selfRegisteringWorker_staysWhileItBeats_andLeavesWhenStopped() throws Exception {
    WorkerServer worker =
        SemlbStack.startUnlisted(
            "fast-path",
            0,
            "self",
            new Registration(fresh.stack().xdsAdmin(), "", "", 1, Duration.ofSeconds(2), ""));
    extra.add(worker);

    long joinMs = msUntil(s -> "self".equals(s.worker()), Duration.ofSeconds(5));
    Thread.sleep(3000); // past the 2s lease: only the heartbeat keeps it
    Map<String, Integer> later = spread(20);
    worker.close();
    Map<String, Integer> after = spread(20);

    assertThat(joinMs).isLessThan(2000);
    assertThat(later).containsKey("self");
    assertThat(after).doesNotContainKey("self");
  }

  @Test
  void versionWeights_90_10_splitTraffic_andPromoteAndRollbackInOneCall() throws Exception {
    fresh
        .stack()
        .overwritePools(
            """
        pools:
          - { name: general, endpoints: [127.0.0.1:%d] }
          - { name: high-compute, endpoints: [127.0.0.1:%d] }
          - name: fast-path
            endpoints:
              - { address: 127.0.0.1:%d, version: blue }
        """
                .formatted(port("general", 0), port("high-compute", 0), port("fast-path", 0)));
    WorkerServer green = SemlbStack.startUnlisted("fast-path", 0, "green", null);
    extra.add(green);
    admin(
        "POST",
        "/api/pools/fast-path/endpoints",
        "{\"address\":\"127.0.0.1:"
            + green.port()
            + "\",\"version\":\"green\",\"ttlSeconds\":300}");
    String blue = fresh.stack().workers("fast-path").get(0).id();

    HttpResponse<String> set =
        admin("PUT", "/api/pools/fast-path/weights", "{\"blue\":90,\"green\":10}");
    Thread.sleep(1000);
    Map<String, Integer> split = spread(1000);
    admin("PUT", "/api/pools/fast-path/weights", "{\"green\":100}");
    msUntil(s -> "green".equals(s.worker()), Duration.ofSeconds(3));
    Thread.sleep(500);
    Map<String, Integer> promoted = spread(100);
    admin("PUT", "/api/pools/fast-path/weights", "{\"blue\":100,\"green\":0}");
    Thread.sleep(1000);
    Map<String, Integer> rolledBack = spread(100);
    HttpResponse<String> bad = admin("PUT", "/api/pools/fast-path/weights", "{\"blue\":0}");
    log.info("weights 90/10 gave {}; promote {}; rollback {}", split, promoted, rolledBack);

    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(split.getOrDefault("green", 0)).isBetween(70, 130);
    assertThat(split.getOrDefault(blue, 0)).isBetween(870, 930);
    assertThat(promoted).containsOnlyKeys("green");
    assertThat(rolledBack).containsOnlyKeys(blue);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("at least one weight above 0");
  }

  @Test
  void endpointWeights_fromPoolsYaml_3to1_splitTraffic() throws Exception {
    WorkerServer light = SemlbStack.startUnlisted("fast-path", 0, "light", null);
    extra.add(light);
    fresh
        .stack()
        .overwritePools(
            """
        pools:
          - { name: general, endpoints: [127.0.0.1:%d] }
          - { name: high-compute, endpoints: [127.0.0.1:%d] }
          - name: fast-path
            endpoints:
              - { address: 127.0.0.1:%d, weight: 3 }
              - { address: 127.0.0.1:%d, weight: 1 }
        """
                .formatted(
                    port("general", 0),
                    port("high-compute", 0),
                    port("fast-path", 0),
                    light.port()));
    msUntil(s -> "light".equals(s.worker()), Duration.ofSeconds(5));
    String heavy = fresh.stack().workers("fast-path").get(0).id();

    Map<String, Integer> split = spread(400);
    log.info("endpoint weights 3:1 gave {}", split);

    assertThat(split).containsOnlyKeys(heavy, "light");
    assertThat(split.get(heavy)).isBetween(270, 330);
    assertThat(split.get("light")).isBetween(70, 130);
  }

  @Test
  void poolDown_spillsToTheDefaultPool_withZeroErrors_andComesBack() throws Exception {
    int fastPort = port("fast-path", 0);
    fresh
        .stack()
        .overwritePools(
            """
        pools:
          - { name: general, endpoints: [127.0.0.1:%d] }
          - { name: high-compute, endpoints: [127.0.0.1:%d] }
          - name: fast-path
            healthCheck: { path: /healthz, intervalMs: 250, timeoutMs: 200, unhealthyThreshold: 1 }
            endpoints: [127.0.0.1:%d]
        """
                .formatted(port("general", 0), port("high-compute", 0), fastPort));
    Thread.sleep(1500);
    Map<String, AtomicInteger> byPool = new ConcurrentHashMap<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    Set<Long> worstMs = ConcurrentHashMap.newKeySet();
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread thread =
          new Thread(
              () -> {
                long worst = 0;
                while (running.get()) {
                  long t0 = System.nanoTime();
                  try {
                    Served served = fresh.stack().send(PROBE);
                    if (served.status() != 200) {
                      failures.add("HTTP " + served.status());
                    } else {
                      byPool
                          .computeIfAbsent(served.pool(), p -> new AtomicInteger())
                          .incrementAndGet();
                    }
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                  worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
                }
                worstMs.add(worst);
              });
      thread.start();
      load.add(thread);
    }
    Thread.sleep(1000);
    fresh.stack().workers("fast-path").get(0).close();
    long down = System.nanoTime();
    Thread.sleep(3000);
    int generalWhileDown = byPool.getOrDefault("general", new AtomicInteger()).get();
    WorkerServer back = SemlbStack.startUnlisted("fast-path", fastPort, "fast-path-back", null);
    extra.add(back);
    long recoverMs = msUntil(s -> "fast-path-back".equals(s.worker()), Duration.ofSeconds(10));
    Thread.sleep(1000);
    running.set(false);
    for (Thread thread : load) {
      thread.join();
    }
    Map<String, Integer> after = spread(20);
    log.info(
        "failover: served by pool {}, failures {}, back {} ms after restart, worst latency {} ms, down for {} ms",
        byPool,
        failures.size(),
        recoverMs,
        worstMs,
        (System.nanoTime() - down) / 1_000_000);

    assertThat(failures).as("client errors while fast-path was down").isEmpty();
    assertThat(generalWhileDown).as("fast-path traffic spilled to general").isGreaterThan(50);
    assertThat(after).containsOnlyKeys("fast-path-back");
  }

  @Test
  void ringHashPool_keepsEachSessionOnOneEndpoint() throws Exception {
    List<WorkerServer> more =
        List.of(
            SemlbStack.startUnlisted("fast-path", 0, "ring-b", null),
            SemlbStack.startUnlisted("fast-path", 0, "ring-c", null));
    extra.addAll(more);
    fresh
        .stack()
        .overwritePools(
            """
        pools:
          - { name: general, endpoints: [127.0.0.1:%d] }
          - { name: high-compute, endpoints: [127.0.0.1:%d] }
          - name: fast-path
            lbPolicy: ring_hash
            hashHeader: x-session-id
            endpoints: [127.0.0.1:%d, 127.0.0.1:%d, 127.0.0.1:%d]
        """
                .formatted(
                    port("general", 0),
                    port("high-compute", 0),
                    port("fast-path", 0),
                    more.get(0).port(),
                    more.get(1).port()));
    Thread.sleep(1500);

    Map<String, Set<String>> workersBySession = new HashMap<>();
    for (int round = 0; round < 10; round++) {
      for (int session = 0; session < 12; session++) {
        Served served = fresh.stack().send(PROBE, "x-session-id", "user-" + session);
        assertThat(served.status()).isEqualTo(200);
        workersBySession
            .computeIfAbsent("user-" + session, k -> new HashSet<>())
            .add(served.worker());
      }
    }
    Set<String> used = new HashSet<>();
    workersBySession.values().forEach(used::addAll);
    log.info("ring hash: sessions to workers {}", workersBySession);

    assertThat(workersBySession.values()).allSatisfy(w -> assertThat(w).hasSize(1));
    assertThat(used).as("sessions spread over the endpoints").hasSizeGreaterThanOrEqualTo(2);
  }
}
