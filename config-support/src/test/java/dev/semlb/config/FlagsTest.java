package dev.semlb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {

  @Test
  void flagsWinOverVariables_andBothFormsParse() {
    Flags flags =
        Flags.parse(
            new String[] {"serve", "--port", "7", "--drain=250ms", "--watch"},
            Map.of("SEMLB_PORT", "9", "SEMLB_HOST", "10.0.0.1"));

    assertThat(flags.integer("port", 1, 0, 65535)).isEqualTo(7);
    assertThat(flags.string("host", "0.0.0.0")).isEqualTo("10.0.0.1");
    assertThat(flags.duration("drain", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    assertThat(flags.bool("watch", false)).isTrue();
    assertThat(flags.duration("missing", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThat(flags.positional()).containsExactly("serve");
    flags.rejectUnknown();
  }

  @Test
  void badValues_sayWhatWasExpected() {
    Flags flags =
        Flags.parse(
            new String[] {"--port", "70000", "--drain", "soon", "--watch", "maybe"}, Map.of());

    assertThatThrownBy(() -> flags.integer("port", 1, 0, 65535))
        .hasMessage("--port: '70000' (expected: an integer in [0, 65535])");
    assertThatThrownBy(() -> flags.duration("drain", Duration.ZERO))
        .hasMessage("--drain: 'soon' (expected: a duration such as 250ms or 2s)");
    assertThatThrownBy(() -> flags.bool("watch", true))
        .hasMessage("--watch: 'maybe' (expected: true or false)");
    assertThatThrownBy(() -> flags.existingFile("routing", "/no/such/file.yaml"))
        .hasMessage("--routing: '/no/such/file.yaml' (expected: an existing file)");
  }

  @Test
  void unknownFlag_isRejected() {
    Flags flags = Flags.parse(new String[] {"--prot", "1"}, Map.of());
    flags.integer("port", 1, 0, 65535);

    assertThatThrownBy(flags::rejectUnknown)
        .hasMessage("--prot: unknown flag (expected one of: --port)");
  }
}
