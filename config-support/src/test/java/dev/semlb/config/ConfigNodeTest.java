package dev.semlb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigNodeTest {

  private static ConfigNode parse(String yaml) throws ConfigException {
    return ConfigNode.parse("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void regression_integerBeyondLong_wasReadWrappedAround() {
    // 2^64 + 5 used to pass as 5: asLong() keeps the low 64 bits.
    assertThatThrownBy(() -> parse("n: 18446744073709551621").integer("n", 1, 1, 10))
        .isInstanceOf(ConfigException.class)
        .hasMessage("test.yaml: n: 18446744073709551621 (expected: an integer in [1, 10])");
    assertThatThrownBy(() -> parse("n: -9223372036854775809").integer("n", 1, Long.MIN_VALUE, 10))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void integer_atTheEdgesOfLong_isRead() throws Exception {
    assertThat(parse("n: 9223372036854775807").integer("n", 0, 0, Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void regression_aliasWasReadAsItsAnchorName() {
    // Jackson reads `*common` as the text "common", so this used to load the example "common".
    assertThatThrownBy(
            () ->
                parse(
                    """
        defaults: &common [a, b]
        examples: *common
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "test.yaml: not valid YAML (alias *common at line 2 is not supported (write the value out))");
  }

  @Test
  void regression_aKeyGivenTwice_wasSilentlyItsLastValue() {
    // A second `sampling:` in routing.yaml's measured section used to override the first unseen.
    assertThatThrownBy(
            () ->
                parse(
                    """
        measured:
          sampling: { fullUntil: 40 }
          minSamples: 20
          sampling: { fullUntil: 1000 }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "test.yaml: not valid YAML (key 'sampling' given twice in one mapping (expected: once))");
  }

  @Test
  void anchorsWithoutAliases_areHarmless() throws Exception {
    assertThat(parse("examples: &e [a, b]").texts("examples")).containsExactly("a", "b");
  }

  @Test
  void billionLaughs_isRejectedAtOnce() {
    StringBuilder yaml = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char previous = (char) (c - 1);
      yaml.append(c)
          .append(": &")
          .append(c)
          .append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, "*" + previous)))
          .append("]\n");
    }

    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertThatThrownBy(() -> parse(yaml.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alias *a at line 2 is not supported"));
  }

  @Test
  void deepNesting_isRejected() {
    String deep = "a: " + "[".repeat(100_000) + "]".repeat(100_000);

    assertThatThrownBy(() -> parse(deep))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "test.yaml: not valid YAML (Document nesting depth (65) exceeds the maximum allowed (64");
  }

  @Test
  void nestingUpToTheLimit_isRead() throws Exception {
    int inner = ConfigNode.MAX_NESTING_DEPTH - 1; // the root mapping is one level
    assertThat(parse("a: " + "[".repeat(inner) + "]".repeat(inner)).isScalar()).isFalse();
  }

  @Test
  void documentOverTheSizeLimit_isRejectedBeforeParsing() {
    byte[] big =
        ("a: \"" + "x".repeat(ConfigNode.MAX_DOCUMENT_BYTES) + "\"")
            .getBytes(StandardCharsets.UTF_8);

    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () ->
            assertThatThrownBy(() -> ConfigNode.parse("big.yaml", big))
                .isInstanceOf(ConfigException.class)
                .hasMessage("big.yaml: larger than 1048576 bytes (expected: at most 1 MiB)"));
  }

  @Test
  void load_readsNoMoreThanTheLimit(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("huge.yaml");
    Files.write(file, new byte[4 * ConfigNode.MAX_DOCUMENT_BYTES]);

    assertThatThrownBy(() -> ConfigNode.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage("huge.yaml: larger than 1048576 bytes (expected: at most 1 MiB)");
  }

  @Test
  void load_aDirectory_isAConfigException(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigNode.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(dir.getFileName() + ": cannot read ");
  }

  @Test
  void number_outsideTheRange_orNotANumber_isRejected() throws Exception {
    ConfigNode node = parse("x: 1e400\ny: '0.5'\nz: 0.5");

    assertThatThrownBy(() -> node.number("x", 0, 0, 1))
        .hasMessage("test.yaml: x: Infinity (expected: a number in [0, 1])");
    assertThatThrownBy(() -> node.number("y", 0, 0, 1))
        .hasMessage("test.yaml: y: '0.5' (expected: a number in [0, 1])");
    assertThat(node.number("z", 0, 0, 1)).isEqualTo(0.5);
  }

  @Test
  void regression_characterOutsideTheBmpAtTheParserBufferEdge_threwIndexOutOfBounds()
      throws Exception {
    // SnakeYAML 2.3 reads 1024 chars at a time; a surrogate pair at index 1023 overflowed the
    // buffer (ArrayIndexOutOfBoundsException out of Jackson's UTF8Reader), so a valid file with
    // an emoji in the wrong place could not be loaded. Found by fuzzing pools.yaml.
    for (int pad = 1015; pad < 1030; pad++) {
      String value = "x".repeat(pad) + "\uD83D\uDE00";

      assertThat(parse("a: " + value).text("a")).as("pad %d", pad).isEqualTo(value);
    }
  }
}
