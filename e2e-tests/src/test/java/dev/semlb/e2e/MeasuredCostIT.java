package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.e2e.support.ExtProcAdmin;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measured-cost loop through the real Envoy: Envoy reports each finished request over its gRPC
 * access log, ext-proc-service learns each request shape's upstream time, and the measured stage
 * moves a shape that reads cheap but costs 400 ms out of fast-path once it has the evidence, while
 * shapes that are cheap stay. Losing the feedback (ext-proc-service killed) fails no request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeasuredCostIT {

  private static final Logger log = LoggerFactory.getLogger(MeasuredCostIT.class);
  private static final int MIN_SAMPLES = 20;
  private static final ExecutorService CLIENTS = Executors.newFixedThreadPool(4);

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/measured").build();

  /** A record read by id: every stage before measured cost sends it to fast-path. */
  private static LabelledRequest slow(int i) {
    return new LabelledRequest("high-compute", "GET", "/v1/orders/" + (1000 + i), "", "");
  }

  private static LabelledRequest fast(int i) {
    return new LabelledRequest("fast-path", "GET", "/v1/users/" + (1000 + i), "", "");
  }

  @BeforeAll
  static void measuredOn() throws Exception {
    STACK.stack().enableMeasured();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!costs().path("measured").path("enabled").asBoolean()) {
      assertThat(System.nanoTime()).as("routing.yaml reloaded").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stopClients() {
    CLIENTS.shutdownNow();
  }

  private static JsonNode costs() throws Exception {
    return ExtProcAdmin.costs(STACK.stack());
  }

  private static JsonNode cost(String key) throws Exception {
    return ExtProcAdmin.cost(STACK.stack(), key);
  }

  /** Sends {@code requests} four at a time, each costing {@code millis} at the worker. */
  private static List<Served> send(List<LabelledRequest> requests, int millis) throws Exception {
    List<CompletableFuture<Served>> calls = new ArrayList<>();
    for (LabelledRequest r : requests) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return STACK.stack().send(r, SemlbStack.COST_HEADER, Integer.toString(millis));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              CLIENTS));
    }
    List<Served> served = new ArrayList<>();
    for (CompletableFuture<Served> c : calls) {
      served.add(c.join());
    }
    return served;
  }

  @Test
  @Order(1)
  void aSlowShapeThatReadsCheap_leavesFastPath_withinTheEvidenceThreshold_whileFastShapesStay()
      throws Exception {
    Served first = send(List.of(slow(0)), 400).get(0);
    assertThat(first.pool()).as("it reads cheap").isEqualTo("fast-path");
    assertThat(first.decision()).doesNotContain("stage=rules").doesNotContain("stage=measured");

    int sent = 1;
    int movedAt = -1;
    while (sent < 80 && movedAt < 0) {
      List<LabelledRequest> round = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        round.add(slow(sent + i));
      }
      List<Served> served = send(round, 400);
      for (int i = 0; i < served.size(); i++) {
        assertThat(served.get(i).status()).isEqualTo(200);
        if (movedAt < 0 && "high-compute".equals(served.get(i).pool())) {
          movedAt = sent + i + 1;
        }
      }
      sent += round.size();
      // Cheap shapes go on meanwhile: 1 ms each.
      send(List.of(fast(sent), fast(sent + 1)), 1)
          .forEach(s -> assertThat(s.pool()).as("a cheap shape stays").isEqualTo("fast-path"));
    }
    log.info("the 400 ms shape left fast-path at request {}", movedAt);
    assertThat(movedAt)
        .as("moved after its %d samples, plus what was in flight and in Envoy's batch", MIN_SAMPLES)
        .isBetween(MIN_SAMPLES + 1, 50);

    List<Served> after = send(List.of(slow(900), slow(901), slow(902), slow(903)), 400);
    assertThat(after).allSatisfy(s -> assertThat(s.pool()).isEqualTo("high-compute"));
    assertThat(after).allSatisfy(s -> assertThat(s.decision()).startsWith("stage=measured"));
    // Enough cheap requests for their own verdict: fast-path, now decided by measurement too.
    List<LabelledRequest> cheap = new ArrayList<>();
    for (int i = 0; i < 2 * MIN_SAMPLES; i++) {
      cheap.add(fast(2000 + i));
    }
    send(cheap, 1)
        .forEach(s -> assertThat(s.pool()).as("a cheap shape stays").isEqualTo("fast-path"));

    JsonNode slowCost = cost("GET /v1/orders/{id}");
    log.info("costs: {}", slowCost);
    assertThat(slowCost.path("verdict").asText()).isEqualTo("high-compute");
    assertThat(slowCost.path("moved").asBoolean()).isTrue();
    assertThat(slowCost.path("firstPool").asText()).isEqualTo("fast-path");
    assertThat(slowCost.path("millis").path("p50").asDouble()).isBetween(380.0, 600.0);
    JsonNode fastCost = cost("GET /v1/users/{id}");
    assertThat(fastCost.path("millis").path("p50").asDouble()).isLessThan(25.0);
    assertThat(fastCost.path("verdict").asText()).isIn("", "fast-path");
    assertThat(fastCost.path("moved").asBoolean()).isFalse();
  }

  @Test
  @Order(2)
  void aKeyWithPlentyOfEvidence_isReportedOneInTen_andStillCountedWhole() throws Exception {
    SemlbStack stack = STACK.stack();
    String yaml = Files.readString(stack.routingFile());
    String sampled =
        yaml.replace(
            "  sampling: { fullUntil: 1000, oneIn: 10 }",
            "  sampling: { fullUntil: 40, oneIn: 10 }");
    assertThat(sampled).isNotEqualTo(yaml);
    stack.overwriteRouting(sampled);
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (costs().path("measured").path("sampling").path("fullUntil").asInt() != 40) {
      assertThat(System.nanoTime()).as("routing.yaml reloaded").isLessThan(deadline);
      Thread.sleep(100);
    }
    String logsWritten = "access_logs.grpc_access_log.logs_written";
    long written = stack.envoy().requireStat(logsWritten);
    long recorded = costs().path("totals").path("recorded").asLong();
    List<LabelledRequest> items = new ArrayList<>();
    for (int i = 0; i < 440; i++) {
      items.add(new LabelledRequest("fast-path", "GET", "/v1/items/" + (1000 + i), "", ""));
    }
    // The first 40 are reported one by one (sent in small rounds, so the key's window holds
    // them before the rest are decided), the 400 after them about 1 in 10, each standing for 10.
    for (int i = 0; i < 40; i += 4) {
      send(items.subList(i, i + 4), 1);
    }
    awaitCount("GET /v1/items/{id}", 40);
    assertThat(send(items.subList(40, 440), 1))
        .allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
    Thread.sleep(1500); // Envoy flushes the access log every 0.5 s

    long logged = stack.envoy().requireStat(logsWritten) - written;
    long counted = cost("GET /v1/items/{id}").path("count").asLong();
    log.info(
        "440 requests: {} access-log entries, {} recorded, counted as {}; metrics {}",
        logged,
        costs().path("totals").path("recorded").asLong() - recorded,
        counted,
        ExtProcAdmin.get(stack, "/metrics")
            .body()
            .lines()
            .filter(l -> l.startsWith("semlb_feedback"))
            .toList());
    // Reported in full: 440 entries. Sampled: 40 + Binomial(400, 0.1) (mean 40, sd 6), plus the
    // 1 in 100 of the sampled-out ones that the native-route sample logs (about 4, ignored).
    assertThat(logged).as("Envoy skipped the sampled-out requests").isBetween(55L, 120L);
    // 40 + 10 x Binomial(400, 0.1): mean 440, sd 60.
    assertThat(counted).as("each sampled entry stands for 10 requests").isBetween(250L, 640L);
  }

  private static void awaitCount(String key, long count) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (cost(key).path("count").asLong() < count) {
      assertThat(System.nanoTime()).as("%s reported %d times", key, count).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  @Order(3)
  void feedbackLost_withExtProcServiceKilled_failsNoRequest() throws Exception {
    SemlbStack stack = STACK.stack();
    long before = costs().path("totals").path("recorded").asLong();
    assertThat(before).as("feedback flowed before the kill").isPositive();
    stack.killExtProc();
    try {
      List<LabelledRequest> during = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        during.add(i % 2 == 0 ? slow(5000 + i) : fast(5000 + i));
      }
      assertThat(send(during, 1))
          .as("ext-proc-service (and the feedback receiver) down: requests fail open")
          .allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
    } finally {
      stack.startExtProc();
      stack.awaitRouting();
    }
    List<LabelledRequest> again = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      again.add(fast(6000 + i));
    }
    assertThat(send(again, 1)).allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (costs().path("totals").path("recorded").asLong() == 0) {
      assertThat(System.nanoTime()).as("feedback resumes after the restart").isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
