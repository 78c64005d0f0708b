package dev.semlb.classifier.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CostClassTest {

  @Test
  void parsesBoundsInMillisecondsAndSeconds() {
    CostClass fast = CostClass.parse("fast-path", "p50 <= 25ms");
    assertThat(fast.atMost()).isTrue();
    assertThat(fast.quantile()).isEqualTo(0.5);
    assertThat(fast.thresholdMillis()).isEqualTo(25);
    assertThat(fast).hasToString("p50 <= 25ms");
    CostClass heavy = CostClass.parse("high-compute", " P90>=1.5s ");
    assertThat(heavy.atMost()).isFalse();
    assertThat(heavy.thresholdMillis()).isEqualTo(1500);
    assertThat(heavy.quantileLabel()).isEqualTo("p90");
  }

  @Test
  void rejectsWhatItCannotMean_withTheExpectedForm() {
    for (String bad :
        new String[] {"p50 < 25ms", "p42 <= 25ms", "p50 <= 25", "fast", "p50 <= 0ms"}) {
      assertThatThrownBy(() -> CostClass.parse("fast-path", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("expected:");
    }
  }

  @Test
  void holds_widensTheBoundBySlack() {
    CostClass fast = CostClass.parse("fast-path", "p50 <= 20ms");
    assertThat(fast.holds(20, 0)).isTrue();
    assertThat(fast.holds(24, 0)).isFalse();
    assertThat(fast.holds(24, 0.25)).isTrue();
    CostClass heavy = CostClass.parse("high-compute", "p50 >= 200ms");
    assertThat(heavy.holds(160, 0.25)).isTrue();
    assertThat(heavy.holds(140, 0.25)).isFalse();
  }
}
