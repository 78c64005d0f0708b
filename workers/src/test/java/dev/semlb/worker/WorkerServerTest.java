package dev.semlb.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WorkerServerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> send(WorkerServer worker, HttpRequest.Builder request)
      throws Exception {
    return HTTP.send(
        request
            .uri(URI.create("http://127.0.0.1:" + worker.port() + request.build().uri().getPath()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void response_saysWhichPoolAndWorkerServedWhat() throws Exception {
    try (WorkerServer worker =
        WorkerServer.start(
            new WorkerConfig("high-compute", "127.0.0.1", 0, "hc-1", WorkProfile.NONE))) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + "/jobs?x=1"))
                  .header("x-semantic-pool", "high-compute")
                  .POST(HttpRequest.BodyPublishers.ofString("12345"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-served-by-pool")).contains("high-compute");
      JsonNode body = new ObjectMapper().readTree(response.body());
      assertThat(body.path("pool").asText()).isEqualTo("high-compute");
      assertThat(body.path("worker").asText()).isEqualTo("hc-1");
      assertThat(body.path("method").asText()).isEqualTo("POST");
      assertThat(body.path("path").asText()).isEqualTo("/jobs");
      assertThat(body.path("bodyBytes").asLong()).isEqualTo(5);
      assertThat(body.path("routedPool").asText()).isEqualTo("high-compute");
      assertThat(worker.served()).isEqualTo(1);
    }
  }

  @Test
  void close_letsARequestInFlightFinish_thenStopsListening() throws Exception {
    WorkProfile slow = new WorkProfile(Duration.ofMillis(500), Duration.ZERO, Duration.ZERO, 0);
    WorkerServer worker =
        WorkerServer.start(new WorkerConfig("general", "127.0.0.1", 0, "g", slow));
    URI uri = URI.create("http://127.0.0.1:" + worker.port() + "/api/items/1");
    CompletableFuture<HttpResponse<String>> inFlight =
        HTTP.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(150);

    worker.close();

    HttpResponse<String> response = inFlight.get();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(response.body()).path("worker").asText()).isEqualTo("g");
    assertThatThrownBy(
            () ->
                HTTP.send(
                    HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void healthz_answersAtOnce_evenWithASlowProfile() throws Exception {
    WorkProfile slow = new WorkProfile(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, 1);
    try (WorkerServer worker =
        WorkerServer.start(new WorkerConfig("general", "127.0.0.1", 0, "g", slow))) {
      long start = System.nanoTime();
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + "/healthz"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(worker.served()).isZero();
    }
  }

  @Test
  void concurrencyCap_queuesRequests() throws Exception {
    WorkProfile capped = new WorkProfile(Duration.ofMillis(200), Duration.ZERO, Duration.ZERO, 1);
    try (WorkerServer worker =
        WorkerServer.start(new WorkerConfig("high-compute", "127.0.0.1", 0, "h", capped))) {
      long start = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(
            HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + "/x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      calls.forEach(CompletableFuture::join);

      // One at a time: three requests of 200 ms each take at least 600 ms in all.
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(600));
      assertThat(worker.served()).isEqualTo(3);
      // Each reports its own 200 ms of work, not the up to 400 ms it waited for the slot.
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        String timing = call.join().headers().firstValue("server-timing").orElseThrow();
        assertThat(timing).startsWith("app;dur=");
        assertThat(Double.parseDouble(timing.substring("app;dur=".length())))
            .isBetween(199.0, 390.0);
      }
    }
  }

  @Test
  void flags_buildTheConfig() {
    WorkerConfig config =
        WorkerConfig.fromFlags(
            dev.semlb.config.Flags.parse(
                new String[] {
                  "--pool",
                  "fast-path",
                  "--port",
                  "9003",
                  "--latency",
                  "5ms",
                  "--max-concurrency",
                  "2"
                },
                Map.of()));

    assertThat(config.id()).isEqualTo("fast-path-9003");
    assertThat(config.profile().latency()).isEqualTo(Duration.ofMillis(5));
    assertThat(config.profile().maxConcurrency()).isEqualTo(2);
  }

  @Test
  void costHeader_setsThisRequestsLatency() throws Exception {
    WorkProfile profile =
        new WorkProfile(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, 0, "x-work-ms");
    try (WorkerServer worker =
        WorkerServer.start(new WorkerConfig("general", "127.0.0.1", 0, "g", profile))) {
      long start = System.nanoTime();
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + "/x"))
                  .header("x-work-ms", "30")
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(30), Duration.ofSeconds(2));
    }
  }

  @Test
  void defaultWorker_echoesOpenAiPaths_likeAnyOther() throws Exception {
    try (WorkerServer worker =
        WorkerServer.start(new WorkerConfig("chat", "127.0.0.1", 0, "c", WorkProfile.NONE))) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + worker.port() + "/v1/chat/completions"))
                  .POST(HttpRequest.BodyPublishers.ofString("not json"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-served-by-model")).isEmpty();
      assertThat(new ObjectMapper().readTree(response.body()).path("bodyBytes").asLong())
          .isEqualTo(8);
    }
  }
}
