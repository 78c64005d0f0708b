package dev.semlb.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.config.Flags;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmupFlagTest {

  private static ServiceConfig parse(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--routing";
    all[1] = "../config/routing.yaml";
    System.arraycopy(args, 0, all, 2, args.length);
    return ServiceConfig.fromFlags(Flags.parse(all, env));
  }

  @Test
  void defaultsToTenSeconds_fromFlags_andToNone_fromTheTestConstructors() {
    assertThat(parse(Map.of()).warmup()).isEqualTo(Duration.ofSeconds(10));
    assertThat(
            new ServiceConfig(
                    "127.0.0.1", 0, java.nio.file.Path.of("r.yaml"), 1, Duration.ZERO, false)
                .warmup())
        .isZero();
  }

  @Test
  void flagOrEnvironment_setsIt_andWithersKeepIt() {
    assertThat(parse(Map.of(), "--warmup", "0s").warmup()).isZero();
    ServiceConfig env = parse(Map.of("SEMLB_WARMUP", "3s"));
    assertThat(env.warmup()).isEqualTo(Duration.ofSeconds(3));
    assertThat(env.withPoolsFile(null).withCostSeed(null).warmup())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(env.withWarmup(Duration.ofMillis(500)).warmup()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void rejectsANegativeTime() {
    assertThatThrownBy(() -> parse(Map.of()).withWarmup(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("warmup: PT-1S (expected: >= 0)");
  }
}
