package dev.semlb.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.worker.WorkProfile;
import dev.semlb.worker.WorkerConfig;
import dev.semlb.worker.WorkerServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiApiTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT =
      "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
          + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"fix my  code\"},"
          + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://x/y.png\"}}]}]";

  private WorkerServer worker;

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.close();
    }
  }

  private WorkerServer start(LlmProfile llm) throws Exception {
    worker =
        WorkerServer.start(
            new WorkerConfig("code", "127.0.0.1", 0, "code-1", WorkProfile.NONE, null, llm));
    return worker;
  }

  private static LlmProfile quick(String model) {
    return new LlmProfile(model, 0, Duration.ZERO, 12);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + path));
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        request(path)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** One SSE data line and when it arrived. */
  private record Event(String data, long atNanos) {}

  private List<Event> streamEvents(String path, String body) throws Exception {
    HttpResponse<Stream<String>> response =
        HTTP.send(
            request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    assertThat(response.headers().firstValue("x-served-by-pool")).contains("code");
    List<Event> events = new ArrayList<>();
    try (Stream<String> lines = response.body()) {
      Iterator<String> it = lines.iterator();
      boolean blank = true;
      while (it.hasNext()) {
        String line = it.next();
        if (line.isEmpty()) {
          blank = true;
          continue;
        }
        // Every event is one data line followed by a blank line.
        assertThat(blank).as("blank line before " + line).isTrue();
        assertThat(line).startsWith("data: ");
        events.add(new Event(line.substring(6), System.nanoTime()));
        blank = false;
      }
    }
    return events;
  }

  @Test
  void completion_echoesTheModelItWasAskedFor() throws Exception {
    start(quick("semlb-code-7b"));

    HttpResponse<String> asked =
        post("/v1/completions", "{\"model\":\"demo-other\",\"prompt\":\"hi\"}");
    HttpResponse<String> notAsked = post("/v1/completions", "{\"prompt\":\"hi\"}");

    assertThat(asked.statusCode()).isEqualTo(200);
    assertThat(asked.headers().firstValue("x-requested-model")).contains("demo-other");
    assertThat(JSON.readTree(asked.body()).path("model").asText())
        .as("the demo server serves any model as its own")
        .isEqualTo("semlb-code-7b");
    assertThat(notAsked.headers().firstValue("x-requested-model")).isEmpty();
  }

  @Test
  void chat_nonStreaming_saysModelAndPool_andCountsTokens() throws Exception {
    start(quick("semlb-code-7b"));

    HttpResponse<String> response = post("/v1/chat/completions", CHAT + ",\"max_tokens\":5}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-served-by-pool")).contains("code");
    assertThat(response.headers().firstValue("x-served-by-worker")).contains("code-1");
    assertThat(response.headers().firstValue("x-served-by-model")).contains("semlb-code-7b");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("model").asText()).isEqualTo("semlb-code-7b");
    JsonNode choice = body.path("choices").path(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    String content = choice.path("message").path("content").asText();
    assertThat(content).isEqualTo("Demo reply from semlb-code-7b in");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
    // "be brief" + "fix my  code"; the image part has no text.
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(5);
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(10);
    assertThat(worker.served()).isEqualTo(1);
  }

  @Test
  void chat_withoutMaxTokens_givesTheFullReply_stop() throws Exception {
    start(quick("m"));

    JsonNode body = JSON.readTree(post("/v1/chat/completions", CHAT + "}").body());

    String content = body.path("choices").path(0).path("message").path("content").asText();
    assertThat(CompletionRequest.words(content)).isEqualTo(12);
    assertThat(content).startsWith("Demo reply from m in pool code:");
    assertThat(body.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(12);
  }

  @Test
  void chat_streaming_deltasThenFinishThenUsageThenDone() throws Exception {
    start(quick("semlb-chat-8b"));

    List<Event> events =
        streamEvents(
            "/v1/chat/completions",
            CHAT
                + ",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"max_completion_tokens\":7}");

    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    List<JsonNode> chunks = new ArrayList<>();
    for (Event e : events.subList(0, events.size() - 1)) {
      chunks.add(JSON.readTree(e.data()));
    }
    // 7 token chunks, the finish chunk, the usage chunk.
    assertThat(chunks).hasSize(9);
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < chunks.size(); i++) {
      JsonNode chunk = chunks.get(i);
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("model").asText()).isEqualTo("semlb-chat-8b");
      assertThat(chunk.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());
      if (i < 8) {
        JsonNode delta = chunk.path("choices").path(0).path("delta");
        content.append(delta.path("content").asText(""));
        assertThat(delta.has("role")).isEqualTo(i == 0);
        assertThat(chunk.path("usage").isNull()).isTrue();
      }
    }
    JsonNode finish = chunks.get(7).path("choices").path(0);
    assertThat(finish.path("finish_reason").asText()).isEqualTo("length");
    assertThat(finish.path("delta").isEmpty()).isTrue();
    JsonNode last = chunks.get(8);
    assertThat(last.path("choices").isArray()).isTrue();
    assertThat(last.path("choices").isEmpty()).isTrue();
    assertThat(last.path("usage").path("prompt_tokens").asInt()).isEqualTo(5);
    assertThat(last.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
    assertThat(CompletionRequest.words(content.toString())).isEqualTo(7);
  }

  @Test
  void streaming_withoutIncludeUsage_hasNoUsageChunk() throws Exception {
    start(quick("m"));

    List<Event> events =
        streamEvents("/v1/chat/completions", CHAT + ",\"stream\":true,\"max_tokens\":2}");

    // 2 tokens, the finish chunk, [DONE]; no chunk has a usage field.
    assertThat(events).hasSize(4);
    for (Event e : events.subList(0, 3)) {
      assertThat(JSON.readTree(e.data()).has("usage")).isFalse();
    }
  }

  @Test
  void streaming_flushesEveryChunkWhenItsTokenIsDue() throws Exception {
    // First token after 300 ms, then 20 tokens/s: 6 tokens arrive over ~550 ms, not at once.
    start(new LlmProfile("m", 20, Duration.ofMillis(300), 6));
    long sent = System.nanoTime();

    List<Event> events = streamEvents("/v1/chat/completions", CHAT + ",\"stream\":true}");

    Duration first = Duration.ofNanos(events.get(0).atNanos() - sent);
    Duration spread = Duration.ofNanos(events.get(5).atNanos() - events.get(0).atNanos());
    assertThat(first).isBetween(Duration.ofMillis(290), Duration.ofMillis(1500));
    assertThat(spread).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    // Each token chunk arrives on its own, ~50 ms after the one before.
    for (int i = 1; i < 6; i++) {
      assertThat(events.get(i).atNanos() - events.get(i - 1).atNanos())
          .as("gap before chunk " + i)
          .isGreaterThan(Duration.ofMillis(20).toNanos());
    }
  }

  @Test
  void nonStreaming_takesTheTimeOfItsTokens() throws Exception {
    start(new LlmProfile("m", 50, Duration.ofMillis(100), 11));
    long sent = System.nanoTime();

    HttpResponse<String> response = post("/v1/chat/completions", CHAT + "}");

    // 100 ms to the first token, then 10 more at 50/s: 300 ms.
    assertThat(Duration.ofNanos(System.nanoTime() - sent))
        .isBetween(Duration.ofMillis(290), Duration.ofSeconds(2));
    assertThat(response.headers().firstValue("server-timing").orElseThrow()).startsWith("app;dur=");
  }

  @Test
  void completions_nonStreamingAndStreaming() throws Exception {
    start(quick("semlb-fast-1b"));

    JsonNode body =
        JSON.readTree(
            post("/v1/completions", "{\"model\":\"x\",\"prompt\":\"say hi\",\"max_tokens\":3}")
                .body());
    assertThat(body.path("object").asText()).isEqualTo("text_completion");
    assertThat(body.path("choices").path(0).path("text").asText()).isEqualTo("Demo reply from");
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(2);
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3);

    List<Event> events =
        streamEvents(
            "/v1/completions",
            "{\"prompt\":[\"a b\",\"c\"],\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":3}");
    StringBuilder text = new StringBuilder();
    for (Event e : events.subList(0, 4)) {
      text.append(JSON.readTree(e.data()).path("choices").path(0).path("text").asText());
    }
    assertThat(text.toString()).isEqualTo("Demo reply from");
    JsonNode usage = JSON.readTree(events.get(4).data()).path("usage");
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(3);
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(3);
    assertThat(events.get(5).data()).isEqualTo("[DONE]");
  }

  @Test
  void models_listsThisServersModel() throws Exception {
    start(quick("semlb-code-7b"));

    HttpResponse<String> list =
        HTTP.send(request("/v1/models").build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> one =
        HTTP.send(
            request("/v1/models/semlb-code-7b").build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> other =
        HTTP.send(request("/v1/models/gpt-x").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(list.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(list.body());
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("data")).hasSize(1);
    assertThat(body.path("data").path(0).path("id").asText()).isEqualTo("semlb-code-7b");
    assertThat(JSON.readTree(one.body()).path("object").asText()).isEqualTo("model");
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(other.body()).path("error").path("code").asText())
        .isEqualTo("model_not_found");
  }

  @Test
  void badJson_is400_withAnOpenAiErrorBody() throws Exception {
    start(quick("m"));

    HttpResponse<String> response = post("/v1/chat/completions", "{\"messages\": [");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).contains("parse the JSON body");
    assertThat(error.has("param")).isTrue();
    assertThat(error.has("code")).isTrue();
  }

  @Test
  void missingMessages_is400_namingTheParam() throws Exception {
    start(quick("m"));

    JsonNode chat =
        JSON.readTree(post("/v1/chat/completions", "{\"model\":\"auto\"}").body()).path("error");
    JsonNode empty =
        JSON.readTree(post("/v1/chat/completions", "{\"messages\":[]}").body()).path("error");
    JsonNode text = JSON.readTree(post("/v1/completions", "{\"model\":\"m\"}").body());
    HttpResponse<String> badMax = post("/v1/chat/completions", CHAT + ",\"max_tokens\":0}");
    HttpResponse<String> notObject = post("/v1/chat/completions", "[1]");

    assertThat(chat.path("message").asText()).contains("'messages'");
    assertThat(chat.path("param").asText()).isEqualTo("messages");
    assertThat(chat.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(empty.path("param").asText()).isEqualTo("messages");
    assertThat(text.path("error").path("param").asText()).isEqualTo("prompt");
    assertThat(badMax.statusCode()).isEqualTo(400);
    assertThat(notObject.statusCode()).isEqualTo(400);
  }

  @Test
  void unknownPathAndWrongMethod_getOpenAiErrors_healthzStillAnswers() throws Exception {
    start(quick("m"));

    HttpResponse<String> unknown = post("/jobs", "{}");
    HttpResponse<String> get =
        HTTP.send(request("/v1/chat/completions").build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> health =
        HTTP.send(request("/healthz").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).path("error").path("code").asText())
        .isEqualTo("unknown_url");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).path("pool").asText()).isEqualTo("code");
    assertThat(worker.served()).isEqualTo(2);
  }
}
