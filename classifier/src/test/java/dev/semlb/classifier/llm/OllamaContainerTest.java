package dev.semlb.classifier.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Outcome;
import dev.semlb.classifier.config.PoolSpec;
import dev.semlb.classifier.view.BodyExtractor;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.classifier.view.ViewLimits;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.ollama.OllamaContainer;

/**
 * The LLM stage against a real Ollama server in Docker with a small model. Runs only where a Docker
 * engine is available (users' machines); elsewhere JUnit reports it as disabled. The first run
 * pulls the image and the model (about 400 MB).
 */
@Testcontainers(disabledWithoutDocker = true)
class OllamaContainerTest {

  private static final String MODEL = "qwen2.5:0.5b";

  @Container
  private static final OllamaContainer OLLAMA = new OllamaContainer("ollama/ollama:0.12.6");

  @Test
  void realOllama_answersWithAConfiguredPool() throws Exception {
    OLLAMA.execInContainer("ollama", "pull", MODEL);
    List<PoolSpec> pools =
        List.of(
            new PoolSpec("fast-path", "cheap reads of one record"),
            new PoolSpec(
                "high-compute", "machine learning inference, analytics over many rows, batch jobs"),
            new PoolSpec("general", "ordinary writes, login, checkout"));
    ExecutorService io = Executors.newFixedThreadPool(1);
    try {
      LlmStage stage =
          LlmStage.create(
              LlmSettings.OFF
                  .at(URI.create(OLLAMA.getEndpoint()), MODEL)
                  .withTimeout(Duration.ofSeconds(120)),
              pools,
              io);
      byte[] body =
          "{\"task\": \"train a gradient boosted model on 40 million rows and report feature importance\"}"
              .getBytes(StandardCharsets.UTF_8);
      RequestView request =
          RequestView.of(
              "POST",
              "/jobs",
              Map.of("content-type", "application/json"),
              new BodyExtractor(ViewLimits.DEFAULTS)
                  .extract(body, body.length, "application/json", null));

      Outcome outcome = stage.decide(request, Deadline.in(Duration.ofSeconds(120)));

      // A small model may be unsure, but it can only ever name a configured pool.
      if (outcome.decision() != null) {
        assertThat(outcome.decision().pool()).isIn("fast-path", "high-compute", "general");
      }
      assertThat(stage.counters().calls()).isEqualTo(1);
      assertThat(stage.counters().timeouts()).as("timeouts").isZero();
    } finally {
      io.shutdownNow();
    }
  }
}
