package dev.semlb.classifier.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Outcome;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.BodyExtractor;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.classifier.view.ViewLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedding stage with the real in-process model. */
class EmbeddingStageTest {

  private static OnnxEmbedder model;
  private static ExampleIndex index;
  private static final ModelQueue DIRECT = ModelQueue.direct();

  @BeforeAll
  static void load() {
    model = OnnxEmbedder.load();
    index =
        ExampleIndex.build(
            model,
            Map.of(
                "code",
                    List.of(
                        "write a function that parses dates",
                        "fix this null pointer exception in my java class",
                        "convert this python loop into a list comprehension"),
                "chat",
                    List.of(
                        "I feel stressed about my exams, any advice?",
                        "write a poem about the autumn sea",
                        "help me plan a relaxing weekend trip"),
                "fast",
                    List.of(
                        "what is the capital of France",
                        "convert 5 miles to kilometers",
                        "how many days in a leap year")),
            2,
            48);
  }

  private static RequestView chat(String prompt) {
    byte[] body =
        ("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    BodyView view =
        new BodyExtractor(ViewLimits.DEFAULTS).extract(body, body.length, "application/json", null);
    return RequestView.of(
        "POST", "/v1/chat/completions", Map.of("content-type", "application/json"), view);
  }

  @Test
  void vectorsAreUnitLength_andSimilarTextsAreCloser() {
    float[] a = model.embed("reset my password");
    float[] b = model.embed("I forgot my password and need a new one");
    float[] c = model.embed("train a neural network on images");

    assertThat(Vectors.dot(a, a)).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
    // e5's similarities sit close together (unrelated English texts score about 0.7), so the
    // gap between a paraphrase and an unrelated text is a few hundredths, not tenths.
    assertThat(Vectors.dot(a, b)).isGreaterThan(Vectors.dot(a, c) + 0.05f);
  }

  @Test
  void paraphrases_reachThePoolOfTheirMeaning() {
    EmbeddingStage stage =
        // Margin 0: with three examples a pool, e5 puts code and chat within a hundredth for
        // the Go question; what this checks is the pool each paraphrase reaches (the margin is
        // checked by unsureWhenBelowTheThresholdOrMargin).
        new EmbeddingStage(model, index, new EmbeddingSettings(true, 0.1, 0.0, 2, 48), DIRECT);

    Outcome code =
        stage.decide(
            chat("my Go program panics with index out of range, how do I fix it"),
            Deadline.in(Duration.ofSeconds(5)));
    Outcome fast =
        stage.decide(chat("what's the capital city of Peru"), Deadline.in(Duration.ofSeconds(5)));
    Outcome talk =
        stage.decide(
            chat("I am nervous about a job interview tomorrow, can we talk"),
            Deadline.in(Duration.ofSeconds(5)));

    assertThat(code.sure()).as(code.decision().reason()).isTrue();
    assertThat(code.decision().pool()).isEqualTo("code");
    assertThat(code.decision().stage()).isEqualTo(Stage.EMBEDDING);
    assertThat(code.decision().reason()).startsWith("nearest examples of code");
    assertThat(fast.decision().pool()).isEqualTo("fast");
    assertThat(talk.decision().pool()).isEqualTo("chat");
  }

  @Test
  void aRequestWithoutABody_needsItsOwnLargerMargin() {
    // margin 0.005 for a request with body text, 0.04 without (the shipped routing.yaml's)
    EmbeddingStage stage =
        new EmbeddingStage(
            model,
            index,
            new EmbeddingSettings(
                true,
                0.2,
                0.005,
                0.04,
                2,
                48,
                true,
                EmbeddingSettings.DEFAULT_MAX_QUEUE_WAIT,
                EmbeddingModel.DEFAULT),
            DIRECT);
    List<ExampleIndex.PoolScore> nearTie =
        List.of(
            new ExampleIndex.PoolScore("fast", 0.85, "a", 0.86),
            new ExampleIndex.PoolScore("chat", 0.83, "b", 0.84));
    List<ExampleIndex.PoolScore> clear =
        List.of(
            new ExampleIndex.PoolScore("fast", 0.88, "a", 0.89),
            new ExampleIndex.PoolScore("chat", 0.83, "b", 0.84));

    assertThat(stage.judge(nearTie, true).sure()).as("0.02 ahead, with a body").isTrue();
    assertThat(stage.judge(nearTie, false).sure()).as("0.02 ahead, no body").isFalse();
    assertThat(stage.judge(nearTie, false).decision().pool()).isEqualTo("fast");
    assertThat(stage.judge(clear, false).sure()).as("0.05 ahead, no body").isTrue();
  }

  @Test
  void onlyABodyOfWords_countsAsTheRequestsOwnWords() {
    assertThat(EmbeddingStage.hasOwnWords(chat("what is the capital of Peru"))).isTrue();
    assertThat(
            EmbeddingStage.hasOwnWords(
                RequestView.of("GET", "/v1/users/7", Map.of(), BodyView.EMPTY)))
        .isFalse();
    byte[] graphql =
        "{\"query\":\"query { viewer { login name } }\"}".getBytes(StandardCharsets.UTF_8);
    BodyView view =
        new BodyExtractor(ViewLimits.DEFAULTS)
            .extract(graphql, graphql.length, "application/json", null);
    assertThat(view.kind()).isEqualTo(dev.semlb.classifier.view.BodyKind.GRAPHQL);
    // A GraphQL document's words are field names: structure, as a path's words are.
    assertThat(
            EmbeddingStage.hasOwnWords(
                RequestView.of(
                    "POST", "/graphql", Map.of("content-type", "application/json"), view)))
        .isFalse();
  }

  @Test
  void unsureWhenBelowTheThresholdOrMargin() {
    EmbeddingStage strict =
        new EmbeddingStage(model, index, new EmbeddingSettings(true, 0.99, 0.0, 2, 48), DIRECT);

    Outcome outcome =
        strict.decide(chat("what's the capital city of Peru"), Deadline.in(Duration.ofSeconds(5)));

    assertThat(outcome.sure()).isFalse();
    assertThat(outcome.decision().pool()).isEqualTo("fast");
  }

  @Test
  void expiredDeadline_passes() {
    EmbeddingStage stage =
        new EmbeddingStage(
            model,
            index,
            EmbeddingSettings.DEFAULTS,
            ModelQueue.over(
                command ->
                    new Thread(
                            () -> {
                              try {
                                Thread.sleep(500);
                              } catch (InterruptedException e) {
                                return;
                              }
                              command.run();
                            })
                        .start()));

    assertThat(stage.decide(chat("hello"), Deadline.in(Duration.ofMillis(20))))
        .isEqualTo(Outcome.pass());
  }

  @Test
  void costStaysBounded_forHugeBodies() {
    EmbeddingStage stage = new EmbeddingStage(model, index, EmbeddingSettings.DEFAULTS, DIRECT);
    RequestView huge = chat("explain this stack trace ".repeat(20_000));

    long start = System.nanoTime();
    Outcome outcome = stage.decide(huge, Deadline.in(Duration.ofSeconds(5)));

    assertThat(outcome.decision()).isNotNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }
}
