package dev.semlb.classifier.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerTimingTest {

  @Test
  void serverTimingHeader_isReadLeniently() {
    assertThat(ServerTiming.millis("app;dur=12.3")).isEqualTo(12.3);
    assertThat(ServerTiming.millis("cache;desc=\"hit\", app;DUR=\"7\"")).isEqualTo(7);
    assertThat(ServerTiming.millis("db;dur=-1, app;dur=3")).isEqualTo(3);
    assertThat(ServerTiming.millis("app;desc=x")).isNaN();
    assertThat(ServerTiming.millis("app;dur=abc")).isNaN();
    assertThat(ServerTiming.millis(null)).isNaN();
    assertThat(ServerTiming.millis("app;dur=1,".repeat(200))).isNaN();
  }
}
