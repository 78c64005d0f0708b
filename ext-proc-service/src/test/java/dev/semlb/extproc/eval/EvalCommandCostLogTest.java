package dev.semlb.extproc.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandCostLogTest {

  private static final String ENVOY_LOG =
      "../classifier/src/test/resources/dev/semlb/classifier/cost/envoy-1.40.0-access.jsonl";

  @TempDir Path dir;

  private int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... extra)
      throws Exception {
    Path cases = dir.resolve("cases.jsonl");
    // Two shapes of the log: the deceptive report (reads like a cheap GET, costs 300 ms) and a
    // cheap read. Rules off: the shipped config has a rule for report paths, and a rule always
    // wins over measured cost; without embeddings both go to the default pool by how they read.
    Files.writeString(
        cases,
        """
        {"method": "GET", "path": "/v1/reports/9", "expected": "high-compute", "source": "log"}
        {"method": "GET", "path": "/v1/users/9", "expected": "fast-path", "source": "log"}
        """);
    String[] base = {
      "--config",
      "../config/routing.yaml",
      "--data",
      cases.toString(),
      "--no-embedding",
      "--no-rules",
      "--loso",
      "false",
      "--warmup",
      "0"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return EvalCommand.run(
        args,
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void costLog_seedsTheMeasuredStage_andPrintsWhatItRead() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    assertThat(run(out, err, "--cost-log", ENVOY_LOG)).as(err.toString()).isZero();

    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(report)
        .contains("cost log: 80 samples from 80 lines of " + ENVOY_LOG)
        .contains("5 keys")
        .containsPattern("accuracy\\s*:?\\s*100\\.0%")
        .containsPattern("measured\\s+2\\s+100\\.0%");
  }

  @Test
  void withoutTheLog_theDeceptiveShapeIsMissed() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    assertThat(run(out, err)).as(err.toString()).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .doesNotContain("cost log:")
        .containsPattern("accuracy\\s*:?\\s*0\\.0%")
        .doesNotContainPattern("measured\\s+\\d");
  }

  @Test
  void measuredClasses_replaceTheConfigs_andBadOnesAreNamed() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // Only a heavy class: the cheap read is no longer the measured stage's to decide.
    assertThat(
            run(
                out,
                err,
                "--cost-log",
                ENVOY_LOG,
                "--measured-classes",
                "high-compute: p50 >= 250ms"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .containsPattern("measured\\s+1\\s+50\\.0%")
        .containsPattern("default\\s+1\\s+50\\.0%");

    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    assertThat(run(new ByteArrayOutputStream(), bad, "--measured-classes", "nowhere: p50 <= 1ms"))
        .isEqualTo(2);
    assertThat(bad.toString(StandardCharsets.UTF_8))
        .contains("--measured-classes: 'nowhere: p50 <= 1ms' (expected: pool: class");
    ByteArrayOutputStream syntax = new ByteArrayOutputStream();
    assertThat(run(new ByteArrayOutputStream(), syntax, "--measured-classes", "general: p50 < 1ms"))
        .isEqualTo(2);
    assertThat(syntax.toString(StandardCharsets.UTF_8))
        .contains("--measured-classes: 'p50 < 1ms' (expected: a quantile");
  }
}
