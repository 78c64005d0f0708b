package dev.semlb.classifier.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FeedbackSamplingTest {

  @Test
  void belowFullUntil_everyRequestIsReportedAsItself() {
    FeedbackSampling s = new FeedbackSampling(100, 10);
    assertThat(s.weight(0, 0.99)).isEqualTo(1);
    assertThat(s.weight(99, 0.99)).isEqualTo(1);
  }

  @Test
  void fromFullUntil_oneInNIsReported_withWeightN() {
    FeedbackSampling s = new FeedbackSampling(100, 10);
    assertThat(s.weight(100, 0.0)).isEqualTo(10);
    assertThat(s.weight(100, 0.0999)).isEqualTo(10);
    assertThat(s.weight(100, 0.1)).isZero();
    assertThat(s.weight(1_000_000, 0.5)).isZero();
  }

  @Test
  void oneInOne_reportsEverything() {
    assertThat(new FeedbackSampling(1, 1).weight(1_000_000, 0.99)).isEqualTo(1);
    assertThat(FeedbackSampling.EVERY.weight(Long.MAX_VALUE - 1, 0.99)).isEqualTo(1);
  }

  @Test
  void badSettings_areRefusedWithTheExpectedRange() {
    assertThatThrownBy(() -> new FeedbackSampling(0, 10))
        .hasMessage("fullUntil: 0 (expected: >= 1)");
    assertThatThrownBy(() -> new FeedbackSampling(10, 0))
        .hasMessage("oneIn: 0 (expected: 1 <= oneIn <= 1000)");
    assertThatThrownBy(() -> new FeedbackSampling(10, 1001))
        .hasMessage("oneIn: 1001 (expected: 1 <= oneIn <= 1000)");
  }

  @Test
  void headerValue_roundTrips_andMalformedPrefixesAreAllKey() {
    assertThat(CostKeyHeader.value("GET /a/{id}", 1)).isEqualTo("GET /a/{id}");
    assertThat(CostKeyHeader.value("GET /a/{id}", 10)).isEqualTo("10*GET /a/{id}");
    assertThat(CostKeyHeader.parse("10*GET /a/{id}"))
        .isEqualTo(new CostKeyHeader.Weighted("GET /a/{id}", 10));
    assertThat(CostKeyHeader.parse("GET /a/{id}"))
        .isEqualTo(new CostKeyHeader.Weighted("GET /a/{id}", 1));
    // A star inside a key (a path may hold one) is not a prefix.
    assertThat(CostKeyHeader.parse("GET /a/*/b"))
        .isEqualTo(new CostKeyHeader.Weighted("GET /a/*/b", 1));
    assertThat(CostKeyHeader.parse("1x*GET /a"))
        .isEqualTo(new CostKeyHeader.Weighted("1x*GET /a", 1));
    assertThat(CostKeyHeader.value("GET /a", 0)).isEqualTo("0*GET /a");
    assertThat(CostKeyHeader.parse("0*GET /a")).isEqualTo(new CostKeyHeader.Weighted("GET /a", 0));
    assertThat(CostKeyHeader.parse("9999999*GET /a"))
        .isEqualTo(new CostKeyHeader.Weighted("GET /a", 1));
    assertThat(CostKeyHeader.parse("12345678*GET /a"))
        .isEqualTo(new CostKeyHeader.Weighted("12345678*GET /a", 1));
    assertThat(CostKeyHeader.parse("")).isEqualTo(new CostKeyHeader.Weighted("", 1));
    assertThat(CostKeyHeader.parse("10*")).isEqualTo(new CostKeyHeader.Weighted("", 10));
    assertThatThrownBy(() -> CostKeyHeader.value("GET /a", -1))
        .hasMessage("weight: -1 (expected: >= 0)");
  }

  @Test
  void weightedSamples_countAsTheirWeight_inTheWindowAndQuantiles() {
    CostStats stats = new CostStats();
    stats.record(new CostSample("GET /a", "fast-path", 4, Double.NaN, 200, 0, 10));
    stats.record(new CostSample("GET /a", "fast-path", 400, Double.NaN, 200, 0, 1));
    assertThat(stats.windowCount("GET /a")).isEqualTo(11);
    assertThat(stats.windowCount("GET /b")).isZero();
    // Ten of eleven requests cost about 4 ms: the median is theirs.
    assertThat(stats.snapshot("GET /a").orElseThrow().quantile(0.5)).isBetween(3.9, 4.1);
    assertThatThrownBy(() -> new CostSample("GET /a", "", 1, 1, 200, 0, 0))
        .hasMessage("weight: 0 (expected: >= 1)");
  }
}
