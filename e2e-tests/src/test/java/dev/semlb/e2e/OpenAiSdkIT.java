package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.ModelPoolsStack;
import dev.semlb.wire.WireContract;
import dev.semlb.worker.llm.LlmProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official {@code openai} Python SDK (pinned in versions.env) through the real Envoy: the LLM
 * routing example ({@code config/examples/llm-models.yaml}, with its decision head and embedding
 * examples) in ext-proc-service, a pools file naming each pool's model, and demo model servers for
 * code, chat and fast that pace their tokens. {@code scripts/check-openai-sdk.py --pool-models}
 * sends prompts with model {@code auto}, chat and text completions, streamed and not, and checks
 * each call: success, the body's model is the model of the pool {@code x-served-by-pool} names, the
 * SDK parses every chunk, tokens arrive spread out as paced (a buffered stream arrives at once),
 * and usage equals the demo servers' deterministic counts.
 *
 * <p>The pool is checked only for prompts a rule decides (fenced code goes to code); where the
 * classifier sends the others is reported by the script, not asserted: this test is about the SDK
 * path, model rewrite and streaming, not the classifier's accuracy (eval/ measures that).
 *
 * <p>Needs {@code python3} with pip (a prerequisite of scripts/test.sh); the script installs the
 * pinned SDK into {@code .tools/python} when missing. It never skips.
 */
class OpenAiSdkIT {

  private static final Map<String, String> MODELS = ModelPoolsStack.MODELS;
  private static final int TOKENS_PER_SECOND = 50;
  private static final int REPLY_TOKENS = 32; // paced over 620 ms at 50 tokens/s
  private static final Pattern SUMMARY =
      Pattern.compile("(?m)^check-openai-sdk: (\\d+) passed, (\\d+) failed$");

  private static final Path DIR = Path.of("target/it/openai-sdk").toAbsolutePath();
  private static ModelPoolsStack stack;
  private static int listenerPort;

  @BeforeAll
  static void start() throws Exception {
    stack =
        ModelPoolsStack.start(
            DIR,
            EnvoyProcess.repoRoot().resolve("config/examples/llm-models.yaml"),
            true,
            model -> new LlmProfile(model, TOKENS_PER_SECOND, Duration.ofMillis(50), REPLY_TOKENS));
    listenerPort = stack.listenerPort();
    awaitPools();
  }

  /** Waits until Envoy has every pool's cluster: a request naming each model gets its answer. */
  private static void awaitPools() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    for (String model : MODELS.values()) {
      String body =
          "{\"model\": \""
              + model
              + "\", \"max_tokens\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + listenerPort + "/v1/chat/completions"))
              .timeout(Duration.ofSeconds(5))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      while (true) {
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200
              && model.equals(
                  response.headers().firstValue(WireContract.SERVED_BY_MODEL_HEADER).orElse(""))) {
            break;
          }
        } catch (java.io.IOException e) {
          // Envoy not listening yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Envoy did not serve model " + model + " within 20s");
        }
        Thread.sleep(100);
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void officialSdk_streamedAndWhole_everyCallServedByItsPoolsModel_withExactUsage()
      throws Exception {
    String poolModels =
        MODELS.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .sorted()
            .collect(Collectors.joining(","));
    Path log = DIR.resolve("check-openai-sdk.log");
    Process script =
        new ProcessBuilder(
                "python3",
                "scripts/check-openai-sdk.py",
                "--base-url",
                "http://127.0.0.1:" + listenerPort + "/v1",
                "--pool-models",
                poolModels,
                "--reply-tokens",
                Integer.toString(REPLY_TOKENS),
                "--tokens-per-second",
                Integer.toString(TOKENS_PER_SECOND))
            .directory(EnvoyProcess.repoRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    // Minutes, not seconds: the first run installs the SDK from PyPI.
    boolean exited = script.waitFor(5, TimeUnit.MINUTES);
    if (!exited) {
      script.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(exited).as("check-openai-sdk.py within 5 minutes:%n%s", out).isTrue();
    assertThat(script.exitValue()).as(out).isZero();
    Matcher summary = SUMMARY.matcher(out);
    assertThat(summary.find()).as("a summary line in:%n%s", out).isTrue();
    assertThat(Integer.parseInt(summary.group(2))).as(out).isZero();
    // 7 basic checks, 3 calls for each of 10 prompts, and the pools check.
    assertThat(Integer.parseInt(summary.group(1))).as(out).isGreaterThanOrEqualTo(38);
    assertThat(out)
        .as("the routed calls ran, streams among them")
        .contains("ok    routed code (rule) #0 chat stream: code/demo-code-7b");
  }
}
