package dev.semlb.extproc.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semlb.config.PoolModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UsageMetricsTest {

  private static final PoolModels MODELS =
      new PoolModels(
          Map.of("code", "demo-code-7b", "chat", "demo-chat-8b"),
          List.of("auto"),
          PoolModels.UnknownModel.ERROR);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final UsageMetrics metrics = new UsageMetrics(registry, () -> MODELS);

  private static Observation ok(
      String pool, String model, long prompt, long completion, long ttft) {
    return new Observation(pool, model, 200, true, prompt, completion, ttft, true, false);
  }

  private double tokens(String pool, String model, String kind) {
    var c =
        registry
            .find("semlb.llm.tokens")
            .tags("pool", pool, "model", model, "kind", kind)
            .counter();
    return c == null ? 0 : c.count();
  }

  private double requests(String pool, String model, String status) {
    var c =
        registry
            .find("semlb.llm.requests")
            .tags("pool", pool, "model", model, "status", status)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void tokensAddUp_perPoolAndModel() {
    metrics.record(ok("code", "demo-code-7b", 7, 64, -1));
    metrics.record(ok("code", "demo-code-7b", 3, 10, -1));
    metrics.record(ok("chat", "demo-chat-8b", 5, 48, -1));

    assertThat(tokens("code", "demo-code-7b", "prompt")).isEqualTo(10);
    assertThat(tokens("code", "demo-code-7b", "completion")).isEqualTo(74);
    assertThat(tokens("chat", "demo-chat-8b", "completion")).isEqualTo(48);
    assertThat(requests("code", "demo-code-7b", "200")).isEqualTo(2);
  }

  @Test
  void labelsBoundedByThePoolsFile() {
    metrics.record(ok("code", "some-other-model", 1, 1, -1));
    metrics.record(ok("nope", null, 1, 1, -1));
    metrics.record(new Observation("chat", null, 429, false, -1, -1, -1, true, false));

    assertThat(requests("code", "other", "200")).isEqualTo(1);
    assertThat(requests("other", "other", "200")).isEqualTo(1);
    assertThat(requests("chat", "demo-chat-8b", "429"))
        .as("no model in the body: the pool's")
        .isEqualTo(1);
  }

  @Test
  void successWithoutUsage_countedAsMissing_byReason_errorsAreNot() {
    metrics.record(new Observation("code", "demo-code-7b", 200, false, -1, -1, -1, true, false));
    metrics.record(new Observation("code", "demo-code-7b", 200, false, -1, -1, -1, false, false));
    metrics.record(new Observation("code", "demo-code-7b", 200, false, -1, -1, -1, true, true));
    metrics.record(new Observation("code", "demo-code-7b", 503, false, -1, -1, -1, true, false));
    metrics.record(new Observation("code", null, 0, false, -1, -1, -1, false, false));

    for (String reason : List.of("no_usage", "incomplete", "encoded")) {
      assertThat(
              registry
                  .find("semlb.llm.usage.missing")
                  .tags("pool", "code", "reason", reason)
                  .counter()
                  .count())
          .as(reason)
          .isEqualTo(1);
    }
    assertThat(requests("code", "demo-code-7b", "503")).isEqualTo(1);
    assertThat(requests("code", "demo-code-7b", "none")).isEqualTo(1);
  }

  @Test
  void timeToFirstToken_recordedForStreams_andSummarizedInJson() {
    for (int i = 1; i <= 100; i++) {
      metrics.record(ok("chat", "demo-chat-8b", 1, 1, TimeUnit.MILLISECONDS.toNanos(i * 4)));
    }
    metrics.record(ok("chat", "demo-chat-8b", 1, 1, -1));

    assertThat(
            registry
                .find("semlb.llm.time.to.first.token")
                .tags("pool", "chat", "model", "demo-chat-8b")
                .timer()
                .count())
        .isEqualTo(100);
    JsonNode json = metrics.json().path("models").get(0);
    assertThat(json.path("pool").asText()).isEqualTo("chat");
    assertThat(json.path("requests").path("200").asLong()).isEqualTo(101);
    assertThat(json.path("promptTokens").asLong()).isEqualTo(101);
    JsonNode ttft = json.path("timeToFirstToken");
    assertThat(ttft.path("count").asLong()).isEqualTo(100);
    // True median 200 ms, p99 396 ms; interpolation within the 100-250 and 250-500 ms buckets.
    assertThat(ttft.path("p50").asDouble()).isBetween(150.0, 250.0);
    assertThat(ttft.path("p99").asDouble()).isBetween(350.0, 500.0);
  }

  @Test
  void json_withoutSamples_hasNullQuantiles() {
    metrics.record(ok("code", "demo-code-7b", 1, 1, -1));

    JsonNode ttft = metrics.json().path("models").get(0).path("timeToFirstToken");

    assertThat(ttft.path("count").asLong()).isZero();
    assertThat(ttft.path("p50").isNull()).isTrue();
  }
}
