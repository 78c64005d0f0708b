package dev.semlb.extproc.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.embedding.EmbeddingSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalCommandFitTest {

  @Test
  void fitTriesTheConfiguredMarginWithoutBodyTheGridAndTheStageOff() {
    EmbeddingSettings configured = new EmbeddingSettings(true, 0.2, 0.03, 2, 48);

    List<EmbeddingSettings> variants = EvalCommand.embeddingVariants(configured);

    assertThat(variants.stream().filter(EmbeddingSettings::enabled).map(e -> e.marginWithoutBody()))
        .containsExactly(0.005, 0.02, 0.03, 0.04, 0.08);
    assertThat(variants.get(variants.size() - 1).enabled()).isFalse();
    // everything but that margin (and the switch) is the config's own
    assertThat(variants)
        .allSatisfy(
            v -> {
              assertThat(v.margin()).isEqualTo(0.03);
              assertThat(v.threshold()).isEqualTo(0.2);
              assertThat(v.neighbors()).isEqualTo(2);
              assertThat(v.maxWords()).isEqualTo(48);
              assertThat(v.model()).isEqualTo(configured.model());
            });
  }

  @Test
  void aConfigWithTheStageOffIsFittedAsItIs() {
    EmbeddingSettings off = new EmbeddingSettings(false, 0.2, 0.04, 2, 48);

    assertThat(EvalCommand.embeddingVariants(off)).containsExactly(off);
  }

  @Test
  void aConfiguredMarginOnTheGridIsTriedOnce() {
    EmbeddingSettings configured = new EmbeddingSettings(true, 0.2, 0.04, 2, 48);

    assertThat(EvalCommand.embeddingVariants(configured)).hasSize(5);
  }
}
