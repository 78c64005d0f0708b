package dev.semlb.extproc.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.classifier.Pipeline;
import dev.semlb.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineHolderTest {

  private static final String GOOD =
      """
      defaultPool: general
      pools: [{ name: general }, { name: fast-path }]
      rules: [{ name: gets, pool: fast-path, match: { methods: GET } }]
      """;

  @Test
  void reload_swapsInAValidEdit(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("routing.yaml"), GOOD);
    PipelineHolder holder = PipelineHolder.load(file);

    Files.writeString(file, GOOD.replace("defaultPool: general", "defaultPool: fast-path"));

    assertThat(holder.reload()).isTrue();
    assertThat(holder.get().config().defaultPool()).isEqualTo("fast-path");
    assertThat(holder.version()).isEqualTo(2);
  }

  @Test
  void reload_keepsTheLastGoodTable_onAnInvalidEdit(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("routing.yaml"), GOOD);
    PipelineHolder holder = PipelineHolder.load(file);
    Pipeline before = holder.get();

    Files.writeString(file, GOOD.replace("pool: fast-path", "pool: nowhere"));

    assertThat(holder.reload()).isFalse();
    assertThat(holder.get()).isSameAs(before);
    assertThat(holder.version()).isEqualTo(1);
  }

  @Test
  void load_failsOnAnInvalidFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("routing.yaml"), "defaultPool: x\npools: []\n");

    assertThatThrownBy(() -> PipelineHolder.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("routing.yaml: pools: a list (expected: at least one pool)");
  }
}
