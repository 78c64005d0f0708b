package dev.semlb.xds.pools;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;

/**
 * Coverage-guided fuzzing of {@code pools.yaml} loading (Jazzer). In a normal test run this replays
 * the committed inputs in {@code PoolsConfigLoaderFuzzTestInputs/load/}; with {@code JAZZER_FUZZ=1}
 * it fuzzes (see docs/fuzzing.md). Contract: {@link PoolsConfigChecks}.
 */
class PoolsConfigLoaderFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void load(byte[] yaml) {
    long start = System.nanoTime();

    PoolsConfigChecks.loadOrReject(yaml);

    // Bounded work: far above the milliseconds an input takes, far below a hang. (Not
    // @Timeout: JUnit would apply it to the whole fuzzing run.)
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("time for one input")
        .isLessThan(Duration.ofSeconds(5));
  }
}
