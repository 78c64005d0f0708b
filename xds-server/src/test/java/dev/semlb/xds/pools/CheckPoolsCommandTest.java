package dev.semlb.xds.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckPoolsCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CheckPoolsCommand.run(
        args,
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @CsvSource({
    "config/routing.yaml, config/pools.yaml",
    "config/routing.yaml, deploy/compose/pools.yaml",
    "k8s/ext-proc-service/routing.yaml, k8s/xds-server/pools.yaml"
  })
  void shippedPairs_agree(String routing, String pools) {
    int code = run("--routing", "../" + routing, "--pools", "../" + pools);

    assertThat(code).as(err()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("agree");
  }

  @Test
  void mismatch_exits1_andNamesEveryProblem(@TempDir Path dir) throws Exception {
    Path routing =
        Files.writeString(
            dir.resolve("routing.yaml"),
            "defaultPool: fast\npools: [{ name: fast }, { name: gpu }]\nrules: []\n");
    Path pools =
        Files.writeString(
            dir.resolve("pools.yaml"),
            "defaultPool: general\npools:\n  - { name: general, endpoints: [127.0.0.1:1] }\n"
                + "  - { name: fast, endpoints: [127.0.0.1:2], fallback: [] }\n");

    int code = run("--routing", routing.toString(), "--pools", pools.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err())
        .contains("disagree")
        .contains("pool 'gpu': in " + routing + " but not in " + pools)
        .contains("defaultPool: 'fast' in " + routing + " but 'general' in " + pools);
  }

  @Test
  void badInput_exits2_withOneClearLine(@TempDir Path dir) throws Exception {
    Path pools =
        Files.writeString(
            dir.resolve("pools.yaml"), "pools: [{ name: general, endpoints: [nope] }]\n");
    Path routing =
        Files.writeString(
            dir.resolve("routing.yaml"), "defaultPool: general\npools: [{ name: general }]\n");

    assertThat(
            run("--routing", dir.resolve("missing.yaml").toString(), "--pools", pools.toString()))
        .isEqualTo(2);
    assertThat(err()).contains("check-pools: --routing:").contains("an existing file");
    err.reset();
    assertThat(run("--routing", routing.toString(), "--pools", pools.toString())).isEqualTo(2);
    assertThat(err()).startsWith("check-pools: pools.yaml:");
    err.reset();
    assertThat(run("--routing", routing.toString(), "--pools", pools.toString(), "--typo", "x"))
        .isEqualTo(2);
    assertThat(err()).contains("--typo: unknown flag");
  }
}
