package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.e2e.support.ExtProcAdmin;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-pool rate limits through the real Envoy: a pool's limit from pools.yaml is one token bucket
 * shared by its native route and its pool-header routes; an empty bucket answers 429 with {@code
 * retry-after} and the pool; other pools are never touched; live changes over the admin API reach
 * Envoy at once. The stack runs with native routes, so {@code GET /healthz} is decided in Envoy's
 * route table and {@code POST /} with {@code {"action":"ping"}} by ext_proc, both fast-path.
 */
class RateLimitIT {

  private static final Logger log = LoggerFactory.getLogger(RateLimitIT.class);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String RDS_RELOADS = "http.semlb.rds.semlb_pools.config_reload";
  private static final String RATE_LIMITED =
      "semlb_pool_rate_limit.http_local_rate_limit.rate_limited";

  @RegisterExtension
  final SemlbStackExtension fresh =
      SemlbStackExtension.builder("target/it/rate-limit").envoyRoutes().perTest().build();

  /**
   * Warms ext_proc up: the stack's own readiness probe is natively routed, and a cold classifier
   * can miss Envoy's message timeout (failing open to general) on its first requests.
   */
  @BeforeEach
  void classifierAnswers() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int inARow = 0;
    while (inARow < 5) {
      assertThat(System.nanoTime()).as("ext_proc routes to fast-path").isLessThan(deadline);
      boolean routed =
          classifiedFastPath()
              .headers()
              .firstValue("x-served-by-pool")
              .orElse("")
              .equals("fast-path");
      inARow = routed ? inARow + 1 : 0;
    }
  }

  private SemlbStack stack() {
    return fresh.stack();
  }

  private HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack().listenerPort() + path))
            .timeout(Duration.ofSeconds(15));
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .method(method, HttpRequest.BodyPublishers.ofString(json))
          .header("content-type", "application/json");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** fast-path, decided by a native route (no ext_proc stream). */
  private HttpResponse<String> nativeFastPath() throws Exception {
    return send("GET", "/healthz", null);
  }

  /** fast-path, decided by ext_proc (a JSON body rule) and routed on the pool header. */
  private HttpResponse<String> classifiedFastPath() throws Exception {
    return send("POST", "/", "{\"action\":\"ping\"}");
  }

  private HttpResponse<String> admin(String method, String path, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(stack().xdsAdmin() + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Runs {@code change}, then waits until Envoy has taken a new route table. */
  private void andAwaitRoutes(ThrowingRunnable change) throws Exception {
    long before = stack().envoy().stat(RDS_RELOADS);
    change.run();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (stack().envoy().stat(RDS_RELOADS) == before) {
      assertThat(System.nanoTime()).as("Envoy took the new routes within 10s").isLessThan(deadline);
      Thread.sleep(20);
    }
    // The main thread counts the reload, then hands the table to the worker threads.
    Thread.sleep(300);
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private String pools(String fastPathExtra) {
    return """
        pools:
          - { name: general, endpoints: [127.0.0.1:%d] }
          - { name: high-compute, endpoints: [127.0.0.1:%d] }
          - { name: fast-path, endpoints: [127.0.0.1:%d]%s }
        """
        .formatted(
            stack().workers("general").get(0).port(),
            stack().workers("high-compute").get(0).port(),
            stack().workers("fast-path").get(0).port(),
            fastPathExtra);
  }

  @Test
  void burstPasses_thenEveryRouteOfThePoolGets429WithRetryAfter_otherPoolsUntouched()
      throws Exception {
    // One token a minute: none comes back while the test runs.
    andAwaitRoutes(
        () -> stack().overwritePools(pools(", rateLimit: { requestsPerMinute: 1, burst: 3 }")));

    List<HttpResponse<String>> burst =
        List.of(nativeFastPath(), classifiedFastPath(), nativeFastPath());
    HttpResponse<String> nativeLimited = nativeFastPath();
    HttpResponse<String> classifiedLimited = classifiedFastPath();
    List<HttpResponse<String>> others = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      others.add(send("PUT", "/api/users/" + i, "{\"name\": \"x\"}")); // general
      others.add(send("GET", "/reports/2026/q" + (i % 4 + 1), null)); // high-compute
    }
    long rateLimited = stack().envoy().stat(RATE_LIMITED);
    // The access log brings each classified request's status back to ext-proc-service, counted
    // per pool. (A native route sets the pool header only when it forwards, so its 429s are in
    // Envoy's count alone.)
    String fed = await429sInFeedback();
    log.info(
        "burst {}; then {} and {} (retry-after {}); others {}",
        burst.stream().map(HttpResponse::statusCode).toList(),
        nativeLimited.statusCode(),
        classifiedLimited.statusCode(),
        nativeLimited.headers().firstValue("retry-after").orElse("-"),
        others.stream()
            .map(r -> r.statusCode() + " " + r.headers().firstValue("x-served-by-pool").orElse("-"))
            .distinct()
            .toList());

    assertThat(burst).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(burst.get(0).headers().firstValue("x-served-by-pool")).hasValue("fast-path");
    assertThat(burst.get(1).headers().firstValue("x-served-by-pool")).hasValue("fast-path");
    assertThat(burst.get(2).headers().firstValue("x-ratelimit-remaining")).hasValue("0");
    for (HttpResponse<String> limited : List.of(nativeLimited, classifiedLimited)) {
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("retry-after")).hasValue("60");
      assertThat(limited.headers().firstValue("x-semantic-pool")).hasValue("fast-path");
      assertThat(limited.headers().firstValue("x-served-by-worker")).as("never reached").isEmpty();
    }
    assertThat(others).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(others.stream().map(r -> r.headers().firstValue("x-served-by-pool").orElse("-")))
        .containsOnly("general", "high-compute");
    assertThat(others)
        .as("unlimited pools are never counted")
        .allSatisfy(r -> assertThat(r.headers().firstValue("x-ratelimit-limit")).isEmpty());
    assertThat(rateLimited).isEqualTo(2);
    assertThat(fed).isEqualTo("1.0");
  }

  /** The fast-path 429s ext-proc-service counted, once Envoy's access log brought any (≤ 5 s). */
  private String await429sInFeedback() throws Exception {
    java.util.regex.Pattern line =
        java.util.regex.Pattern.compile(
            "semlb_feedback_responses_total\\{code=\"429\",pool=\"fast-path\",?\\} (\\S+)");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      java.util.regex.Matcher m = line.matcher(ExtProcAdmin.get(stack(), "/metrics").body());
      if (m.find()) {
        return m.group(1);
      }
      Thread.sleep(100);
    }
    return "none";
  }

  @Test
  void livePut_raisesTheLimit_delete_removesIt_andBadInputChangesNothing() throws Exception {
    andAwaitRoutes(
        () -> {
          HttpResponse<String> put =
              admin(
                  "PUT",
                  "/api/pools/fast-path/rate-limit",
                  "{\"requestsPerMinute\":1,\"burst\":2}");
          assertThat(put.statusCode()).isEqualTo(200);
        });
    List<Integer> limited = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      limited.add(nativeFastPath().statusCode());
    }

    HttpResponse<String> bad =
        admin("PUT", "/api/pools/fast-path/rate-limit", "{\"requestsPerSecond\":0}");
    assertThat(classifiedFastPath().statusCode())
        .as("still limited after a rejected PUT")
        .isEqualTo(429);
    andAwaitRoutes(
        () ->
            admin(
                "PUT",
                "/api/pools/fast-path/rate-limit",
                "{\"requestsPerSecond\":1000,\"burst\":1000}"));
    List<Integer> raised = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      raised.add((i % 2 == 0 ? nativeFastPath() : classifiedFastPath()).statusCode());
    }
    String shown = admin("GET", "/api/pools/fast-path/rate-limit", null).body();
    andAwaitRoutes(() -> admin("DELETE", "/api/pools/fast-path/rate-limit", null));
    HttpResponse<String> unlimited = nativeFastPath();
    log.info(
        "limited {}; raised {}; shown {}", limited, raised.stream().distinct().toList(), shown);

    assertThat(limited).containsExactly(200, 200, 429, 429);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("rateLimit.requestsPerSecond: 0 (expected: 1..1000000)");
    assertThat(raised).containsOnly(200);
    assertThat(shown).contains("\"requestsPerSecond\" : 1000").contains("\"burst\" : 1000");
    assertThat(unlimited.statusCode()).isEqualTo(200);
    assertThat(unlimited.headers().firstValue("x-ratelimit-limit")).isEmpty();
  }
}
