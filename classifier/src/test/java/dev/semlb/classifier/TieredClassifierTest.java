package dev.semlb.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TieredClassifierTest {

  private static final RequestView GET = RequestView.of("GET", "/", Map.of(), BodyView.EMPTY);

  private static ClassifierStage stage(Stage kind, Optional<Decision> answer) {
    return new ClassifierStage() {
      @Override
      public Stage stage() {
        return kind;
      }

      @Override
      public Optional<Decision> decide(RequestView request) {
        return answer;
      }
    };
  }

  @Test
  void firstDecidingStageWins() {
    Decision embedding = new Decision("high-compute", 0.7, Stage.EMBEDDING, "nearest example");
    TieredClassifier classifier = new TieredClassifier(List.of(
        stage(Stage.RULES, Optional.empty()),
        stage(Stage.EMBEDDING, Optional.of(embedding)),
        stage(Stage.LLM, Optional.of(new Decision("general", 1, Stage.LLM, "llm")))), "general");

    assertThat(classifier.classify(GET)).isEqualTo(embedding);
  }

  @Test
  void allPass_givesTheDefaultPool() {
    TieredClassifier classifier = new TieredClassifier(List.of(stage(Stage.RULES, Optional.empty())), "general");

    Decision decision = classifier.classify(GET);

    assertThat(decision.pool()).isEqualTo("general");
    assertThat(decision.stage()).isEqualTo(Stage.DEFAULT);
    assertThat(decision.confidence()).isZero();
  }

  @Test
  void throwingStage_isSkipped_notPropagated() {
    ClassifierStage broken = new ClassifierStage() {
      @Override
      public Stage stage() {
        return Stage.RULES;
      }

      @Override
      public Optional<Decision> decide(RequestView request) {
        throw new IllegalStateException("boom");
      }
    };
    Decision later = new Decision("fast-path", 1, Stage.EMBEDDING, "x");
    TieredClassifier classifier = new TieredClassifier(
        List.of(broken, stage(Stage.EMBEDDING, Optional.of(later))), "general");

    assertThat(classifier.classify(GET)).isEqualTo(later);
  }
}
