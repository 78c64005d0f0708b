package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.ModelPoolsStack;
import dev.semlb.wire.WireContract;
import dev.semlb.worker.llm.LlmProfile;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LLM usage metrics through the real Envoy (docs/llm-gateway.md#usage-metrics): the shipped {@code
 * envoy/envoy.yaml} with its observing ext_proc filter, which xds-server turns on for the routes of
 * the three model pools, and demo model servers that pace their tokens. Chat and text completions,
 * whole and streamed, go to each pool; ext-proc-service's {@code /metrics} is then parsed with
 * {@code prometheus_client}'s text parser, and the token counters must equal the sum of the {@code
 * usage} the clients received, exactly, per pool; every streamed response must have a time to first
 * token; a 400 from a model server is counted under its status. Streams must not be buffered: the
 * first chunk of every stream reaches the client long before its last is generated.
 *
 * <p>Needs {@code python3} with {@code prometheus_client} (scripts/test.sh installs the pinned one
 * into {@code .tools/python}). It never skips.
 */
class LlmUsageMetricsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> MODELS = ModelPoolsStack.MODELS;
  private static final int TOKENS_PER_SECOND = 40;
  private static final int REPLY_TOKENS = 20; // paced over 475 ms after the first
  private static final Duration FIRST_TOKEN = Duration.ofMillis(150);
  private static final Path DIR = Path.of("target/it/llm-usage").toAbsolutePath();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static ModelPoolsStack stack;

  /** What the clients saw, per pool. */
  private static final class Seen {
    long prompt;
    long completion;
    int ok;
    int streamed;
  }

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(DIR);
    Path routing =
        Files.writeString(
            DIR.resolve("routing.yaml"),
            """
            defaultPool: chat
            pools: [{ name: code }, { name: chat }, { name: fast }]
            rules:
              - { name: fenced-code, pool: code, match: { body: { regex: "```" } } }
            """);
    stack =
        ModelPoolsStack.start(
            DIR,
            routing,
            false,
            model -> new LlmProfile(model, TOKENS_PER_SECOND, FIRST_TOKEN, REPLY_TOKENS),
            true);
    awaitPools();
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private static HttpRequest post(String path, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.listenerPort() + path))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** Waits until every pool's model is served through Envoy (xDS delivered). */
  private static void awaitPools() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    for (String model : MODELS.values()) {
      while (true) {
        try {
          if (ready(model)) {
            break;
          }
        } catch (java.io.IOException e) {
          // Envoy not listening yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("model " + model + " not served within 20s");
        }
        Thread.sleep(100);
      }
    }
  }

  /** Whether a one-token call for {@code model} reaches its pool (not counted in the totals). */
  private static boolean ready(String model) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            post(
                "/v1/chat/completions",
                "{\"model\": \""
                    + model
                    + "\", \"max_tokens\": 1, \"messages\": [{\"role\":"
                    + " \"user\", \"content\": \"hi\"}]}"),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200
        && model.equals(r.headers().firstValue(WireContract.SERVED_BY_MODEL_HEADER).orElse(""));
  }

  private static String chat(String model, String content, boolean stream) {
    return "{\"model\": \""
        + model
        + "\", \"messages\": [{\"role\": \"user\", \"content\": "
        + JSON.valueToTree(content)
        + "}]"
        + (stream ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}" : "")
        + "}";
  }

  private static String text(String model, String prompt, boolean stream) {
    return "{\"model\": \""
        + model
        + "\", \"prompt\": "
        + JSON.valueToTree(prompt)
        + (stream ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}" : "")
        + "}";
  }

  /** A whole response: its pool and usage. */
  private static void whole(String path, String body, Map<String, Seen> seen) throws Exception {
    HttpResponse<String> r = HTTP.send(post(path, body), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode usage = JSON.readTree(r.body()).path("usage");
    Seen s = seen.computeIfAbsent(pool(r), p -> new Seen());
    s.prompt += usage.path("prompt_tokens").asLong();
    s.completion += usage.path("completion_tokens").asLong();
    s.ok++;
  }

  /** A streamed response, read as it arrives: its pool, usage, and when chunks came. */
  private static void streamed(String path, String body, Map<String, Seen> seen) throws Exception {
    long sent = System.nanoTime();
    HttpResponse<InputStream> r =
        HTTP.send(post(path, body), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    long first = -1;
    long last = -1;
    JsonNode usage = null;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
          continue;
        }
        long now = System.nanoTime();
        first = first < 0 ? now : first;
        last = now;
        JsonNode chunk = JSON.readTree(line.substring(6));
        if (chunk.path("usage").isObject()) {
          usage = chunk.path("usage");
        }
      }
    }
    assertThat(usage).as("the stream's usage chunk").isNotNull();
    // Paced at 40 tokens/s, 20 tokens take 475 ms after the first: a buffered stream would
    // arrive all at once.
    assertThat(TimeUnit.NANOSECONDS.toMillis(last - first))
        .as(
            "first chunk %d ms after sending, last %d ms after the first",
            TimeUnit.NANOSECONDS.toMillis(first - sent),
            TimeUnit.NANOSECONDS.toMillis(last - first))
        .isGreaterThan(300);
    Seen s = seen.computeIfAbsent(pool(r), p -> new Seen());
    s.prompt += usage.path("prompt_tokens").asLong();
    s.completion += usage.path("completion_tokens").asLong();
    s.ok++;
    s.streamed++;
  }

  private static String pool(HttpResponse<?> r) {
    return r.headers().firstValue(WireContract.SERVED_BY_POOL_HEADER).orElseThrow();
  }

  /**
   * The observed metrics, parsed by prometheus_client: "name{k=v,...}" (sorted labels) to value.
   */
  private static Map<String, Double> scrape() throws Exception {
    HttpResponse<String> metrics =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + stack.extProcAdminPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Path file = Files.writeString(DIR.resolve("metrics.txt"), metrics.body());
    ProcessBuilder parse =
        new ProcessBuilder(
                "python3",
                "-c",
                String.join(
                    "\n",
                    "import json, sys",
                    "from prometheus_client.parser import text_string_to_metric_families",
                    "out = {}",
                    "for family in text_string_to_metric_families(open(sys.argv[1]).read()):",
                    "    for s in family.samples:",
                    "        if s.name.startswith('semlb_llm_'):",
                    "            labels = ','.join(f'{k}={v}' for k, v in sorted(s.labels.items()))",
                    "            out[f'{s.name}{{{labels}}}'] = s.value",
                    "print(json.dumps(out))"),
                file.toString())
            .redirectErrorStream(true);
    Path tools = EnvoyProcess.repoRoot().resolve(".tools/python");
    String path = System.getenv("PYTHONPATH");
    parse.environment().put("PYTHONPATH", tools + (path == null ? "" : ":" + path));
    Process parser = parse.start();
    String out = new String(parser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(parser.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(parser.exitValue()).as(out).isZero();
    Map<String, Double> values = new HashMap<>();
    JSON.readTree(out)
        .fields()
        .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asDouble()));
    return values;
  }

  private static double value(Map<String, Double> m, String key) {
    return m.getOrDefault(key, 0.0);
  }

  @Test
  void tokensEqualTheServersUsage_ttftPerModel_errorsCounted_streamsNotBuffered() throws Exception {
    // The readiness calls' observations end with their responses; let them land first.
    Thread.sleep(1000);
    Map<String, Double> before = scrape();
    Map<String, Seen> seen = new HashMap<>();
    for (String model : MODELS.values()) {
      whole("/v1/chat/completions", chat(model, "what is a monad, briefly", false), seen);
      whole("/v1/completions", text(model, "Once upon a time", false), seen);
      streamed("/v1/chat/completions", chat(model, "tell me about the sea", true), seen);
      streamed("/v1/chat/completions", chat(model, "and about rivers", true), seen);
      streamed("/v1/completions", text(model, "Roses are red", true), seen);
    }
    // Routed by meaning (a rule): model auto, fenced code, to code.
    whole("/v1/chat/completions", chat("auto", "fix this:\n```js\nnull.x\n```", false), seen);
    streamed("/v1/chat/completions", chat("auto", "why?\n```py\n1/0\n```", true), seen);
    // A stream without include_usage: a success whose tokens nobody reported.
    HttpResponse<String> noUsage =
        HTTP.send(
            post(
                "/v1/chat/completions",
                "{\"model\": \"demo-fast-1b\", \"stream\": true, \"messages\": [{\"role\":"
                    + " \"user\", \"content\": \"hi\"}]}"),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noUsage.statusCode()).isEqualTo(200);
    seen.get("fast").streamed++; // it has a first token all the same
    // A 400 from the code pool's server (no messages).
    HttpResponse<String> bad =
        HTTP.send(
            post("/v1/chat/completions", "{\"model\": \"demo-code-7b\", \"messages\": []}"),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);

    Map<String, Double> after = awaitObserved(before, seen);
    assertThat(seen).containsOnlyKeys(MODELS.keySet());
    for (Map.Entry<String, Seen> e : seen.entrySet()) {
      String pool = e.getKey();
      String labels = "model=" + MODELS.get(pool) + ",pool=" + pool;
      Seen s = e.getValue();
      assertThat(delta(before, after, "semlb_llm_tokens_total{kind=prompt," + labels + "}"))
          .as(pool + " prompt tokens")
          .isEqualTo(s.prompt);
      assertThat(delta(before, after, "semlb_llm_tokens_total{kind=completion," + labels + "}"))
          .as(pool + " completion tokens")
          .isEqualTo(s.completion);
      assertThat(
              delta(before, after, "semlb_llm_time_to_first_token_seconds_count{" + labels + "}"))
          .as(pool + " streams with a time to first token")
          .isEqualTo(s.streamed);
      double ttftSum =
          delta(before, after, "semlb_llm_time_to_first_token_seconds_sum{" + labels + "}");
      assertThat(ttftSum / s.streamed)
          .as(pool + " mean time to first token, s (server's first token after 150 ms)")
          .isBetween(0.14, 1.0);
    }
    String code = "model=demo-code-7b,pool=code";
    String fast = "model=demo-fast-1b,pool=fast";
    assertThat(delta(before, after, "semlb_llm_requests_total{" + code + ",status=400}"))
        .isEqualTo(1);
    assertThat(delta(before, after, "semlb_llm_requests_total{" + code + ",status=200}"))
        .isEqualTo(seen.get("code").ok);
    assertThat(delta(before, after, "semlb_llm_usage_missing_total{" + fast + ",reason=no_usage}"))
        .isEqualTo(1);
    JsonNode api =
        JSON.readTree(
            HTTP.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:" + stack.extProcAdminPort() + "/api/llm-usage"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    assertThat(api.path("models").findValuesAsText("model"))
        .containsAll(List.copyOf(MODELS.values()));
    for (JsonNode m : api.path("models")) {
      assertThat(m.path("timeToFirstToken").path("p50").asDouble())
          .as(m.path("model").asText() + " p50 ms")
          .isBetween(140.0, 1000.0);
    }
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    return value(after, key) - value(before, key);
  }

  /** Scrapes until the completion tokens of every pool add up (observations end with streams). */
  private static Map<String, Double> awaitObserved(
      Map<String, Double> before, Map<String, Seen> seen) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      Map<String, Double> after = scrape();
      boolean all =
          seen.entrySet().stream()
              .allMatch(
                  e ->
                      delta(
                              before,
                              after,
                              "semlb_llm_tokens_total{kind=completion,model="
                                  + MODELS.get(e.getKey())
                                  + ",pool="
                                  + e.getKey()
                                  + "}")
                          >= e.getValue().completion);
      if (all || System.nanoTime() > deadline) {
        return after;
      }
      Thread.sleep(200);
    }
  }
}
