package dev.semlb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolListCheckTest {

  private static PoolList routing(String defaultPool, String... names) {
    return new PoolList("routing.yaml", List.of(names), defaultPool, Set.of());
  }

  private static PoolList pools(String defaultPool, Set<String> fallbacks, String... names) {
    return new PoolList("pools.yaml", List.of(names), defaultPool, fallbacks);
  }

  @Test
  void compare_samePoolsInAnotherOrder_agree() {
    assertThat(
            PoolListCheck.compare(
                routing("general", "fast-path", "general"),
                pools("general", Set.of(), "general", "fast-path")))
        .isEmpty();
  }

  @Test
  void compare_routedPoolMissingFromPoolsFile_isReported() {
    assertThat(
            PoolListCheck.compare(
                routing("general", "general", "gpu"), pools("general", Set.of(), "general")))
        .singleElement()
        .asString()
        .contains("pool 'gpu': in routing.yaml but not in pools.yaml")
        .contains("default pool 'general'");
  }

  @Test
  void compare_servedPoolNeverRouted_isReported_unlessAPoolFallsBackToIt() {
    assertThat(
            PoolListCheck.compare(
                routing("general", "general"), pools("general", Set.of(), "general", "spare")))
        .singleElement()
        .asString()
        .contains("pool 'spare': in pools.yaml but never routed to by routing.yaml");
    assertThat(
            PoolListCheck.compare(
                routing("general", "general"),
                pools("general", Set.of("spare"), "general", "spare")))
        .isEmpty();
  }

  @Test
  void compare_differentDefaults_isReported() {
    assertThat(PoolListCheck.compare(routing("a", "a", "b"), pools("b", Set.of(), "a", "b")))
        .singleElement()
        .asString()
        .contains("defaultPool: 'a' in routing.yaml but 'b' in pools.yaml");
  }

  @Test
  void readRouting_readsNamesAndDefault_ignoringTheRest(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("routing.yaml"),
            """
        defaultPool: general
        budgetMs: 150
        pools:
          - name: fast-path
            description: quick
          - name: general
        rules: []
        """);

    PoolList list = PoolList.readRouting(file);

    assertThat(list.poolNames()).containsExactly("fast-path", "general");
    assertThat(list.defaultPool()).isEqualTo("general");
  }

  @Test
  void readRouting_badFiles_failWithTheFileAndKey(@TempDir Path dir) throws Exception {
    Path noDefault = Files.writeString(dir.resolve("a.yaml"), "pools: [{ name: general }]\n");
    Path unknownDefault =
        Files.writeString(dir.resolve("b.yaml"), "defaultPool: x\npools: [{ name: general }]\n");

    assertThatThrownBy(() -> PoolList.readRouting(noDefault))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("a.yaml")
        .hasMessageContaining("defaultPool");
    assertThatThrownBy(() -> PoolList.readRouting(unknownDefault))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("b.yaml")
        .hasMessageContaining("defaultPool: 'x'");
    assertThatThrownBy(() -> PoolList.readRouting(dir.resolve("missing.yaml")))
        .isInstanceOf(ConfigException.class);
  }
}
