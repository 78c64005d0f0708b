package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.e2e.support.ModelPoolsStack;
import dev.semlb.wire.WireContract;
import dev.semlb.worker.llm.LlmProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Retries and fallbacks carry the serving pool's model (issue 15), through the real Envoy with the
 * shipped {@code envoy/envoy.yaml}: demo model servers for pools code, chat and fast; code falls
 * back to chat (the default pool). The downstream ext_proc filter rewrites {@code auto} to the code
 * pool's model; when code's server is down, the upstream model filter (per attempt, after Envoy
 * chose a chat host) must set the body's model to chat's. The demo servers parse each body and echo
 * the model they were sent ({@value WireContract#REQUESTED_MODEL_HEADER}), so a body that still
 * names code's model, or a wrong {@code content-length}, shows.
 */
class ModelFallbackIT {

  private static final Map<String, String> MODELS = ModelPoolsStack.MODELS;

  // Rules only, so each request's pool is known: fenced code goes to code, the rest to chat.
  private static final String ROUTING =
      """
      defaultPool: chat
      pools:
        - { name: code }
        - { name: chat }
        - { name: fast }
      rules:
        - { name: fenced-code, pool: code, match: { body: { regex: "```" } } }
      """;

  private static final String CODE_PROMPT = "fix this ```let x = ;``` — über-broken, 日本語 too";
  private static final String RETRIES = "cluster.semlb-pool-code.upstream_rq_retry";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static ModelPoolsStack start(String name, Function<String, String> poolKeys)
      throws Exception {
    Path dir = Path.of("target/it/" + name);
    Files.createDirectories(dir);
    Path routingFile = Files.writeString(dir.resolve("routing.yaml"), ROUTING);
    ModelPoolsStack stack =
        ModelPoolsStack.start(
            dir,
            routingFile,
            false,
            model -> new LlmProfile(model, 0, Duration.ZERO, 4),
            false,
            poolKeys);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if ("code".equals(header(chat(stack, "auto", CODE_PROMPT, false), "x-served-by-pool"))) {
          return stack;
        }
      } catch (java.io.IOException e) {
        // Envoy not listening yet
      }
      Thread.sleep(100);
    }
    stack.close();
    throw new IllegalStateException("Envoy did not route a fenced-code prompt to code within 20s");
  }

  private static HttpResponse<String> chat(
      ModelPoolsStack stack, String model, String prompt, boolean stream) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("messages", List.of(Map.of("role", "user", "content", prompt)));
    if (stream) {
      body.put("stream", true);
    }
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + stack.listenerPort() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(15))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The {@code model} of a whole response, or of every chunk of a stream. */
  private static List<String> bodyModels(HttpResponse<String> response) throws Exception {
    List<String> models = new ArrayList<>();
    if (!response.body().startsWith("data:")) {
      models.add(JSON.readTree(response.body()).path("model").asText());
      return models;
    }
    for (String line : response.body().split("\n")) {
      if (line.startsWith("data: {")) {
        JsonNode chunk = JSON.readTree(line.substring("data: ".length()));
        models.add(chunk.path("model").asText());
      }
    }
    return models;
  }

  /** Asserts that {@code response} was served by {@code pool}, asked for and naming its model. */
  private static void assertServedBy(HttpResponse<String> response, String pool) throws Exception {
    String model = MODELS.get(pool);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(header(response, WireContract.SERVED_BY_POOL_HEADER)).isEqualTo(pool);
    assertThat(header(response, WireContract.SERVED_BY_MODEL_HEADER)).isEqualTo(model);
    assertThat(header(response, WireContract.REQUESTED_MODEL_HEADER))
        .as("the body the server parsed named its own model")
        .isEqualTo(model);
    assertThat(bodyModels(response)).isNotEmpty().containsOnly(model);
  }

  @Test
  void codePoolDown_healthChecked_everyRequestServedByTheFallback_withTheFallbacksModel()
      throws Exception {
    try (ModelPoolsStack stack =
        start(
            "model-fallback-health",
            pool ->
                pool.equals("code")
                    ? "healthCheck: { path: /healthz, intervalMs: 200, timeoutMs: 200 }"
                    : "")) {
      assertServedBy(chat(stack, "auto", CODE_PROMPT, false), "code");

      stack.stopWorker("code");
      awaitFailedHealthCheck(stack);
      long retriesBefore = stack.envoy().stat(RETRIES);

      int failed = 0;
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> response = chat(stack, "auto", CODE_PROMPT + " #" + i, i % 2 == 1);
        if (response.statusCode() != 200) {
          failed++;
        }
        assertServedBy(response, "chat");
      }
      // A body over the classifier's 64 KiB read limit is rewritten whole on the attempt too.
      HttpResponse<String> large =
          chat(stack, "auto", "```x```" + " lorem ipsum".repeat(10_000), false);
      assertServedBy(large, "chat");
      assertThat(JSON.readTree(large.body()).path("usage").path("prompt_tokens").asInt())
          .as("every word arrived")
          .isEqualTo(20_001);
      // A request naming code's model is served by the fallback too, with the fallback's model.
      assertServedBy(chat(stack, MODELS.get("code"), "anything", false), "chat");
      assertServedBy(chat(stack, MODELS.get("code"), "anything", true), "chat");

      assertThat(failed).isZero();
      assertThat(stack.envoy().stat(RETRIES))
          .as("fallback by priority (code's host marked unhealthy), not by retry")
          .isEqualTo(retriesBefore);
    }
  }

  @Test
  void codePoolDown_notYetSeen_theRetryLandsOnTheFallback_withTheFallbacksModel() throws Exception {
    // No health check on code: Envoy learns it is down from the first attempt's connect
    // failure, and the retry (previous_priorities) goes to the next priority, chat's host.
    try (ModelPoolsStack stack = start("model-fallback-retry", pool -> "")) {
      assertServedBy(chat(stack, "auto", CODE_PROMPT, false), "code");
      long retriesBefore = stack.envoy().stat(RETRIES);

      stack.stopWorker("code");
      HttpResponse<String> first = chat(stack, "auto", CODE_PROMPT, false);

      assertServedBy(first, "chat");
      assertThat(stack.envoy().stat(RETRIES))
          .as("the first attempt went to code's stopped server and was retried")
          .isGreaterThan(retriesBefore);
      for (int i = 0; i < 10; i++) {
        assertServedBy(chat(stack, "auto", CODE_PROMPT + " #" + i, i % 2 == 0), "chat");
      }

      // Fail-open: without ext-proc-service both filters let the request through unchanged
      // (the default pool, chat, gets the body as the client sent it).
      stack.killExtProc();
      HttpResponse<String> failedOpen = chat(stack, "auto", CODE_PROMPT, false);
      assertThat(failedOpen.statusCode()).as(failedOpen.body()).isEqualTo(200);
      assertThat(header(failedOpen, WireContract.SERVED_BY_POOL_HEADER)).isEqualTo("chat");
      assertThat(header(failedOpen, WireContract.REQUESTED_MODEL_HEADER)).isEqualTo("auto");
    }
  }

  private static void awaitFailedHealthCheck(ModelPoolsStack stack) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : stack.envoy().admin("/clusters").split("\n")) {
        if (line.startsWith("semlb-pool-code::") && line.contains("failed_active_hc")) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Envoy did not mark code's server unhealthy within 10s");
  }
}
