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
    // cheap read; both go to fast-path by how they read.
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
        .containsPattern("accuracy\\s*:?\\s*100\\.0%");
  }

  @Test
  void withoutTheLog_theDeceptiveShapeIsMissed() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    assertThat(run(out, err)).as(err.toString()).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .doesNotContain("cost log:")
        .doesNotContainPattern("accuracy\\s*:?\\s*100\\.0%");
  }
}
