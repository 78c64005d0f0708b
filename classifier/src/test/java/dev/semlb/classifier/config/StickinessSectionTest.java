package dev.semlb.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.TieredClassifier;
import dev.semlb.classifier.session.StickinessSettings;
import dev.semlb.classifier.session.StickyClassifier;
import dev.semlb.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StickinessSectionTest {

  private static final Path ROOT = Path.of(System.getProperty("semlb.repoRoot", ".."));
  private static final String POOLS =
      """
      defaultPool: chat
      pools:
        - name: code
        - name: chat
      """;

  @Test
  void withoutTheSection_stickinessIsOff_andThePipelineIsUnchanged() throws Exception {
    RoutingConfig config = RoutingConfigLoader.parse("r.yaml", POOLS);
    assertThat(config.stickiness()).isEqualTo(StickinessSettings.OFF);
    assertThat(Pipeline.build(config).classifier()).isInstanceOf(TieredClassifier.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"config/routing.yaml", "config/examples/llm-models.yaml"})
  void shippedConfigs_leaveStickinessOff(String file) throws Exception {
    assertThat(RoutingConfigLoader.load(ROOT.resolve(file), false).stickiness().enabled())
        .isFalse();
  }

  @Test
  void section_readsEveryKey_andWrapsThePipeline() throws Exception {
    RoutingConfig config =
        RoutingConfigLoader.parse(
            "r.yaml",
            POOLS
                + """
        stickiness:
          header: X-Conversation-Id
          bodyFields: [user]
          ttlSeconds: 60
          maxSessions: 5
          switchProbability: 0.8
          maxKeyLength: 64
        """);
    assertThat(config.stickiness())
        .isEqualTo(
            new StickinessSettings(
                true, "x-conversation-id", List.of("user"), Duration.ofMinutes(1), 5, 0.8, 64));
    assertThat(Pipeline.build(config).classifier()).isInstanceOf(StickyClassifier.class);
    assertThat(RoutingConfigLoader.parse("r.yaml", POOLS + "stickiness: {}\n").stickiness())
        .isEqualTo(StickinessSettings.OFF.withEnabled(true));
    assertThat(
            RoutingConfigLoader.parse("r.yaml", POOLS + "stickiness: {enabled: false}\n")
                .stickiness()
                .enabled())
        .isFalse();
  }

  @Test
  void badValues_nameThePathTheValueAndTheExpectation() {
    assertThatThrownBy(() -> parse("ttlSeconds: -1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("stickiness.ttlSeconds: -1 (expected: an integer");
    assertThatThrownBy(() -> parse("switchProbability: 1.5"))
        .hasMessageContaining("stickiness.switchProbability: 1.5 (expected:");
    assertThatThrownBy(() -> parse("maxSessions: 0"))
        .hasMessageContaining("stickiness.maxSessions: 0 (expected:");
    assertThatThrownBy(() -> parse("header: 'x session'"))
        .hasMessageContaining("stickiness.header: 'x session' (expected: an HTTP header name");
    assertThatThrownBy(() -> parse("bodyFields: [a.b.c.d.e]"))
        .hasMessageContaining("stickiness.bodyFields[0]: 'a.b.c.d.e' (expected: a dotted JSON");
    assertThatThrownBy(() -> parse("sessionHeader: x"))
        .hasMessageContaining("stickiness")
        .hasMessageContaining("sessionHeader");
  }

  private static RoutingConfig parse(String line) throws ConfigException {
    return RoutingConfigLoader.parse("r.yaml", POOLS + "stickiness:\n  " + line + "\n");
  }
}
