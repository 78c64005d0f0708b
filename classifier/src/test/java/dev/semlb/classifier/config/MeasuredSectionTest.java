package dev.semlb.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.classifier.cost.FeedbackSampling;
import dev.semlb.classifier.cost.MeasuredSettings;
import dev.semlb.config.ConfigException;
import org.junit.jupiter.api.Test;

class MeasuredSectionTest {

  private static final String POOLS =
      """
      defaultPool: general
      pools:
        - name: fast-path
        - name: general
        - name: high-compute
      """;

  private static RoutingConfig parse(String measured) throws ConfigException {
    return RoutingConfigLoader.parse("r.yaml", POOLS + measured);
  }

  @Test
  void readsClassesInOrder_withDefaults() throws Exception {
    MeasuredSettings m =
        parse(
                """
                measured:
                  classes:
                    high-compute: p50 >= 250ms
                    fast-path: p25 <= 25ms
                """)
            .measured();
    assertThat(m.enabled()).isTrue();
    assertThat(m.minSamples()).isEqualTo(MeasuredSettings.DEFAULT_MIN_SAMPLES);
    assertThat(m.hysteresis()).isEqualTo(MeasuredSettings.DEFAULT_HYSTERESIS);
    assertThat(m.classes()).extracting(c -> c.pool()).containsExactly("high-compute", "fast-path");
    assertThat(m.classOf("fast-path").quantile()).isEqualTo(0.25);
  }

  @Test
  void absent_meansOff() throws Exception {
    assertThat(parse("").measured().enabled()).isFalse();
    assertThat(parse("measured: { enabled: false }\n").measured().enabled()).isFalse();
  }

  @Test
  void badValues_areNamedWithTheirPathAndTheExpectedForm() {
    assertThatThrownBy(() -> parse("measured:\n  classes:\n    fast-path: p50 < 25ms\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("r.yaml: measured.classes.fast-path: 'p50 < 25ms'")
        .hasMessageContaining("e.g. 'p50 <= 25ms'");
    assertThatThrownBy(() -> parse("measured:\n  classes:\n    fastpath: p50 <= 25ms\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("measured.classes.fastpath")
        .hasMessageContaining("one of the pools [fast-path, general, high-compute]");
    assertThatThrownBy(
            () -> parse("measured: { minSamples: 0, classes: { general: p50 <= 1s } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("measured.minSamples");
    assertThatThrownBy(() -> parse("measured: { enabled: true }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at least one pool's cost class");
    assertThatThrownBy(() -> parse("measured: { classes: { general: p50 <= 1s }, window: 3 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("window");
  }

  @Test
  void sampling_defaultsAndLimits() throws Exception {
    assertThat(parse("").measured().sampling()).isEqualTo(FeedbackSampling.DEFAULT);
    assertThat(
            parse("measured:\n  enabled: false\n  sampling: { fullUntil: 200, oneIn: 5 }\n")
                .measured()
                .sampling())
        .isEqualTo(new FeedbackSampling(200, 5));
    // A key must reach its evidence threshold before it is sampled.
    assertThat(parse("measured: { enabled: false, minSamples: 5000 }\n").measured().sampling())
        .isEqualTo(new FeedbackSampling(5000, 10));
    assertThatThrownBy(
            () ->
                parse(
                    "measured: { enabled: false, minSamples: 50, sampling: { fullUntil: 10 } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("measured.sampling.fullUntil")
        .hasMessageContaining("10");
    assertThatThrownBy(() -> parse("measured: { enabled: false, sampling: { oneIn: 0 } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("measured.sampling.oneIn");
    assertThatThrownBy(() -> parse("measured: { enabled: false, sampling: { every: 3 } }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("every");
  }
}
