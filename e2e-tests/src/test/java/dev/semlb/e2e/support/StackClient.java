package dev.semlb.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.classifier.eval.LabelledRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A {@link SemlbStack}'s HTTP client to Envoy's listener, as a user would send. Thread-safe. */
final class StackClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int listenerPort;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  StackClient(int listenerPort) {
    this.listenerPort = listenerPort;
  }

  /** Waits until a probe reaches fast-path through the classifier. */
  void awaitRouting() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Served served = send(new LabelledRequest("fast-path", "GET", "/healthz", "", ""));
      if (served.status() == 200 && "fast-path".equals(served.pool())) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Envoy did not route /healthz to fast-path within 20s");
  }

  /** Sends one request through Envoy. */
  Served send(LabelledRequest r, String... headers) throws Exception {
    HttpRequest.BodyPublisher body =
        r.body().isEmpty()
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(r.body());
    return send(r.method(), r.path(), r.contentType(), body, headers);
  }

  /** Sends one request through Envoy with any body. */
  Served send(
      String method,
      String path,
      String contentType,
      HttpRequest.BodyPublisher body,
      String... headers)
      throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listenerPort + path))
            .timeout(Duration.ofSeconds(15))
            .method(method, body);
    if (!contentType.isEmpty()) {
      builder.header("content-type", contentType);
    }
    if (headers.length > 0) {
      builder.headers(headers);
    }
    HttpResponse<String> response =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    String decision = null;
    if (response.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
      JsonNode json = JSON.readTree(response.body());
      decision = json.path("decision").isTextual() ? json.path("decision").asText() : null;
    }
    return new Served(
        response.statusCode(),
        response.headers().firstValue("x-served-by-pool").orElse(null),
        response.headers().firstValue("x-served-by-worker").orElse(null),
        decision);
  }
}
