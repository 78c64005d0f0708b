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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Model selection and rewrite through the real Envoy (shipped {@code envoy/envoy.yaml}): demo model
 * servers for pools code, chat and fast, each with its model in the pools file; xds-server and
 * ext-proc-service read that file. The demo servers parse every body as JSON and echo the model
 * they were sent ({@value WireContract#REQUESTED_MODEL_HEADER}), so a wrong {@code content-length}
 * or a missed rewrite shows.
 */
class ModelRewriteIT {

  private static final Map<String, String> MODELS = ModelPoolsStack.MODELS;

  // Rules only, so each request's pool is known: fenced code goes to code, a prompt starting
  // "quick:" to fast, the rest to the default pool chat.
  private static final String ROUTING =
      """
      defaultPool: chat
      pools:
        - { name: code }
        - { name: chat }
        - { name: fast }
      rules:
        - { name: fenced-code, pool: code, match: { body: { regex: "```" } } }
        - { name: quick, pool: fast, match: { body: { regex: "quick:" } } }
      """;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static ModelPoolsStack stack;
  private static int listenerPort;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Path.of("target/it/model-rewrite");
    Files.createDirectories(dir);
    Path routingFile = Files.writeString(dir.resolve("routing.yaml"), ROUTING);
    stack =
        ModelPoolsStack.start(
            dir, routingFile, false, model -> new LlmProfile(model, 0, Duration.ZERO, 4));
    listenerPort = stack.listenerPort();
    awaitRouting();
  }

  private static void awaitRouting() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if ("code"
            .equals(chat("auto", "```x```").headers().firstValue("x-served-by-pool").orElse(""))) {
          return;
        }
      } catch (java.io.IOException e) {
        // Envoy not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Envoy did not route a fenced-code prompt to code within 20s");
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listenerPort + path))
            .timeout(Duration.ofSeconds(15))
            .header("content-type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> chat(String model, String prompt) throws Exception {
    return send(
        "POST",
        "/v1/chat/completions",
        JSON.writeValueAsString(
            Map.of(
                "model", model, "messages", List.of(Map.of("role", "user", "content", prompt)))));
  }

  private static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  @Test
  void auto_isRoutedByMeaning_andTheServerIsAskedForItsOwnModel() throws Exception {
    Map<String, String> prompts = new LinkedHashMap<>();
    prompts.put("code", "fix this ```let x = ;``` — über-broken, 日本語 too");
    prompts.put("fast", "quick: capital of Canada?");
    prompts.put("chat", "tell me a story");
    for (Map.Entry<String, String> e : prompts.entrySet()) {
      HttpResponse<String> response = chat("auto", e.getValue());

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(header(response, WireContract.SERVED_BY_POOL_HEADER)).isEqualTo(e.getKey());
      assertThat(header(response, WireContract.REQUESTED_MODEL_HEADER))
          .as("the rewritten body reached the server whole (it parsed the JSON)")
          .isEqualTo(MODELS.get(e.getKey()));
      assertThat(JSON.readTree(response.body()).path("model").asText())
          .isEqualTo(MODELS.get(e.getKey()));
    }
  }

  @Test
  void namedModel_goesToItsPool_whateverThePromptSays() throws Exception {
    HttpResponse<String> response = chat("demo-fast-1b", "```this would be code```");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, WireContract.SERVED_BY_POOL_HEADER)).isEqualTo("fast");
    assertThat(header(response, WireContract.REQUESTED_MODEL_HEADER)).isEqualTo("demo-fast-1b");
  }

  @Test
  void unknownModel_getsAnOpenAiStyle404_fromEnvoy() throws Exception {
    HttpResponse<String> response = chat("gpt-9", "hello");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(header(response, "content-type")).isEqualTo("application/json");
    assertThat(header(response, WireContract.SERVED_BY_POOL_HEADER)).as("no upstream").isNull();
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("model_not_found");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).startsWith("The model 'gpt-9' is not served here");
  }

  @Test
  void modelList_isAnsweredByEnvoy_withAutoAndEveryPoolsModel() throws Exception {
    HttpResponse<String> response = send("GET", "/v1/models", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, WireContract.SERVED_BY_POOL_HEADER)).isNull();
    JsonNode list = JSON.readTree(response.body());
    assertThat(list.path("object").asText()).isEqualTo("list");
    assertThat(list.path("data").findValuesAsText("id"))
        .containsExactly("auto", "demo-code-7b", "demo-chat-8b", "demo-fast-1b");
  }

  @Test
  void largeBody_overTheClassifiersReadLimit_isRewrittenWhole() throws Exception {
    // Over the 64 KiB the classifier reads: the rewrite must still cover the whole body.
    String prompt = "quick: " + "lorem ipsum ".repeat(10_000);

    HttpResponse<String> response = chat("auto", prompt);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(header(response, WireContract.REQUESTED_MODEL_HEADER)).isEqualTo("demo-fast-1b");
    assertThat(JSON.readTree(response.body()).path("usage").path("prompt_tokens").asInt())
        .as("every word arrived")
        .isEqualTo(20_001);
  }
}
