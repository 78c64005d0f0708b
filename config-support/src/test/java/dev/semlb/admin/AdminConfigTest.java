package dev.semlb.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdminConfigTest {

  @Test
  void loopbackNeedsNoToken_exposedNeedsOne() {
    assertThat(new AdminConfig("127.0.0.1", 9090, "").enabled()).isTrue();
    assertThat(new AdminConfig("0.0.0.0", 9090, "tok").enabled()).isTrue();
    assertThat(new AdminConfig("0.0.0.0", -1, "").enabled()).isFalse();
    assertThatThrownBy(() -> new AdminConfig("0.0.0.0", 9090, ""))
        .hasMessageContaining(
            "admin host: '0.0.0.0' (expected: a loopback address, or set --admin-token");
    assertThatThrownBy(() -> new AdminConfig("127.0.0.1", -2, ""))
        .hasMessage("admin port: -2 (expected: -1 to turn off, or 0..65535)");
  }
}
