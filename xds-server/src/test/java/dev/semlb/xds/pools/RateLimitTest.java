package dev.semlb.xds.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.config.ConfigException;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  private static PoolsConfig parse(String rateLimit) throws ConfigException {
    return PoolsConfigLoader.parse(
        "pools.yaml", "pools: [{ name: general, rateLimit: " + rateLimit + " }]\n");
  }

  private static RateLimit limitOf(String rateLimit) throws ConfigException {
    return parse(rateLimit).pool("general").orElseThrow().policy().rateLimit().orElseThrow();
  }

  @Test
  void load_perSecondAndPerMinute_withBurstDefaultingToTheRate() throws Exception {
    assertThat(limitOf("{ requestsPerSecond: 50, burst: 100 }"))
        .isEqualTo(new RateLimit(50, RateLimit.Per.SECOND, 100));
    assertThat(limitOf("{ requestsPerMinute: 30 }"))
        .isEqualTo(new RateLimit(30, RateLimit.Per.MINUTE, 30));
  }

  @Test
  void load_absent_isUnlimited() throws Exception {
    PoolsConfig config = PoolsConfigLoader.parse("pools.yaml", "pools: [{ name: general }]\n");
    assertThat(config.pool("general").orElseThrow().policy().rateLimit()).isEmpty();
  }

  @Test
  void load_badValues_nameThePathValueAndExpectation() {
    assertThatThrownBy(() -> parse("{ requestsPerSecond: 5, burst: 0 }"))
        .hasMessage(
            "pools.yaml: pools[0].rateLimit.burst: 0 (expected: an integer in [1, 1000000])");
    assertThatThrownBy(() -> parse("{ requestsPerSecond: 0 }"))
        .hasMessage(
            "pools.yaml: pools[0].rateLimit.requestsPerSecond: 0 (expected: an integer in [1, 1000000])");
    assertThatThrownBy(() -> parse("{ requestsPerSecond: 5, requestsPerMinute: 5 }"))
        .hasMessageContaining("pools[0].rateLimit")
        .hasMessageContaining("(expected: exactly one of requestsPerSecond and requestsPerMinute)");
    assertThatThrownBy(() -> parse("{ burst: 5 }"))
        .hasMessageContaining("(expected: exactly one of requestsPerSecond and requestsPerMinute)");
    assertThatThrownBy(() -> parse("{ requestsPerHour: 5 }"))
        .hasMessageContaining("pools[0].rateLimit")
        .hasMessageContaining("requestsPerHour");
    assertThatThrownBy(() -> parse("5")).hasMessageContaining("pools[0].rateLimit");
  }

  @Test
  void of_apiInput_checksWithClearMessages() {
    assertThat(RateLimit.of(null, 6L, null)).isEqualTo(new RateLimit(6, RateLimit.Per.MINUTE, 6));
    assertThatThrownBy(() -> RateLimit.of(5L, null, 0L))
        .hasMessage("rateLimit.burst: 0 (expected: 1..1000000)");
    assertThatThrownBy(() -> RateLimit.of(-1L, null, null))
        .hasMessage("rateLimit.requestsPerSecond: -1 (expected: 1..1000000)");
    assertThatThrownBy(() -> RateLimit.of(5_000_000_000L, null, null))
        .hasMessage("rateLimit.requestsPerSecond: 5000000000 (expected: 1..1000000)");
    assertThatThrownBy(() -> RateLimit.of(null, null, 3L))
        .hasMessage(
            "rateLimit: neither requestsPerSecond nor requestsPerMinute (expected: exactly one of them)");
    assertThatThrownBy(() -> RateLimit.of(1L, 1L, 3L))
        .hasMessage(
            "rateLimit: both requestsPerSecond and requestsPerMinute (expected: exactly one of them)");
    assertThatThrownBy(() -> new RateLimit(1, RateLimit.Per.SECOND, 0))
        .hasMessage("rateLimit.burst: 0 (expected: 1..1000000)");
  }

  @Test
  void retryAfter_isTheSecondsOneTokenTakes_roundedUp() {
    assertThat(new RateLimit(50, RateLimit.Per.SECOND, 1).retryAfterSeconds()).isEqualTo(1);
    assertThat(new RateLimit(1, RateLimit.Per.SECOND, 1).retryAfterSeconds()).isEqualTo(1);
    assertThat(new RateLimit(1, RateLimit.Per.MINUTE, 1).retryAfterSeconds()).isEqualTo(60);
    assertThat(new RateLimit(7, RateLimit.Per.MINUTE, 1).retryAfterSeconds()).isEqualTo(9);
    assertThat(new RateLimit(120, RateLimit.Per.MINUTE, 1).retryAfterSeconds()).isEqualTo(1);
  }
}
