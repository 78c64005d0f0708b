package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GrpcFrameTest {

  private static final byte[] MESSAGE = {0x0a, 0x03, 'a', 'b', 'c'};

  @Test
  void first_wholeUncompressedMessage_isReturned_withoutTheRestOfTheStream() {
    byte[] two = concat(GrpcFrame.frame(MESSAGE), GrpcFrame.frame(new byte[] {1, 2}));
    GrpcFrame.Read read = GrpcFrame.first(two, two.length, 1024);
    assertThat(read.status()).isEqualTo(GrpcFrame.Status.OK);
    assertThat(read.message()).containsExactly(MESSAGE);
  }

  @Test
  void first_emptyMessage_isOk() {
    GrpcFrame.Read read = GrpcFrame.first(GrpcFrame.frame(new byte[0]), 5, 1024);
    assertThat(read.status()).isEqualTo(GrpcFrame.Status.OK);
    assertThat(read.message()).isEmpty();
  }

  @Test
  void first_fewerThanFiveBytes_isEmpty() {
    assertThat(GrpcFrame.first(new byte[0], 0, 1024).status()).isEqualTo(GrpcFrame.Status.EMPTY);
    assertThat(GrpcFrame.first(new byte[] {0, 0, 0, 0}, 4, 1024).status())
        .isEqualTo(GrpcFrame.Status.EMPTY);
    assertThat(GrpcFrame.first(null, 10, 1024).status()).isEqualTo(GrpcFrame.Status.EMPTY);
  }

  @Test
  void first_compressedFlag_isNotRead() {
    byte[] framed = GrpcFrame.frame(MESSAGE);
    framed[0] = 1;
    assertThat(GrpcFrame.first(framed, framed.length, 1024).status())
        .isEqualTo(GrpcFrame.Status.COMPRESSED);
  }

  @Test
  void first_flagOtherThanZeroOrOne_isMalformed() {
    byte[] framed = GrpcFrame.frame(MESSAGE);
    framed[0] = 2;
    assertThat(GrpcFrame.first(framed, framed.length, 1024).status())
        .isEqualTo(GrpcFrame.Status.MALFORMED);
    byte[] json = "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(GrpcFrame.first(json, json.length, 1024).status())
        .isEqualTo(GrpcFrame.Status.MALFORMED);
  }

  @Test
  void first_declaredLengthAboveTheLimit_isOversized_evenWhenAllBytesArrived() {
    byte[] framed = GrpcFrame.frame(new byte[100]);
    assertThat(GrpcFrame.first(framed, framed.length, 99).status())
        .isEqualTo(GrpcFrame.Status.OVERSIZED);
    assertThat(GrpcFrame.first(framed, framed.length, 100).status()).isEqualTo(GrpcFrame.Status.OK);
  }

  @Test
  void first_declaredLengthBeyondTheBytesReceived_isTruncated() {
    byte[] framed = GrpcFrame.frame(MESSAGE);
    assertThat(GrpcFrame.first(framed, framed.length - 1, 1024).status())
        .isEqualTo(GrpcFrame.Status.TRUNCATED);
    byte[] cut = Arrays.copyOf(framed, 7);
    assertThat(GrpcFrame.first(cut, cut.length, 1024).status())
        .isEqualTo(GrpcFrame.Status.TRUNCATED);
  }

  @Test
  void first_lengthWithTheHighBitSet_isOversized_notNegative() {
    byte[] framed = {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3};
    assertThat(GrpcFrame.first(framed, framed.length, Integer.MAX_VALUE).status())
        .isEqualTo(GrpcFrame.Status.OVERSIZED);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
