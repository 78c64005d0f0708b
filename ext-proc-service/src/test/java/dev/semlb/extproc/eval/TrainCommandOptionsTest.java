package dev.semlb.extproc.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.signals.Signal;
import dev.semlb.config.Flags;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainCommandOptionsTest {

  private static final String ROUTING =
      """
      defaultPool: general
      pools:
        - { name: fast-path }
        - { name: general }
      embedding: { maxWords: 32 }
      """;

  @Test
  void withoutMaxWords_theHeadEmbedsTheSummaryTheExampleStageEmbeds() throws Exception {
    RoutingConfig routing = RoutingConfigLoader.parse("routing.yaml", ROUTING);
    Flags flags =
        Flags.parse(new String[] {"--c", "0.03", "--exclude-signals", "TIME_WINDOW"}, Map.of());

    var options = TrainCommand.forConfig(TrainCommand.options(flags), routing);

    assertThat(options.maxWords()).isEqualTo(32);
    // the other settings are the flags'
    assertThat(options.c()).isEqualTo(0.03);
    assertThat(options.excludedSignals()).containsExactly(Signal.TIME_WINDOW);
  }

  @Test
  void anExplicitMaxWords_wins() throws Exception {
    RoutingConfig routing = RoutingConfigLoader.parse("routing.yaml", ROUTING);
    Flags flags = Flags.parse(new String[] {"--max-words", "64"}, Map.of());

    assertThat(TrainCommand.forConfig(TrainCommand.options(flags), routing).maxWords())
        .isEqualTo(64);
  }

  @Test
  void maxWordsOutOfRange_isRejectedWithTheRange() {
    Flags flags = Flags.parse(new String[] {"--max-words", "2"}, Map.of());

    assertThatThrownBy(() -> TrainCommand.options(flags))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-words")
        .hasMessageContaining("[4, 256]");
  }
}
