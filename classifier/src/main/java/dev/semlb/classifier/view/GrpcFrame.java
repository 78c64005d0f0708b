package dev.semlb.classifier.view;

import java.util.Arrays;

/**
 * The first message of a gRPC request body: gRPC frames each message with a 5-byte prefix, a
 * compressed flag (0 or 1) and a big-endian 4-byte length. Only an uncompressed message that was
 * received whole and fits the read limit is returned; anything else says why not, and the request
 * is then routed without its fields. Stateless.
 */
public final class GrpcFrame {

  /** Bytes before each message. */
  public static final int PREFIX_BYTES = 5;

  /** What reading the first frame found. */
  public enum Status {
    /** The message, whole and uncompressed. */
    OK,
    /** No body, or fewer than 5 bytes of it. */
    EMPTY,
    /** The compressed flag is set ({@code grpc-encoding}): fields are not read. */
    COMPRESSED,
    /** The declared length is above the read limit. */
    OVERSIZED,
    /** The declared length is within the limit but fewer bytes were received. */
    TRUNCATED,
    /** The flag byte is neither 0 nor 1: not a gRPC frame. */
    MALFORMED
  }

  /**
   * The outcome of reading a frame.
   *
   * @param status what was found
   * @param message the message bytes when {@link Status#OK}, else empty
   */
  public record Read(Status status, byte[] message) {

    /** Checks the fields. */
    public Read {
      if (status != Status.OK && message.length > 0) {
        throw new IllegalArgumentException("message: only with status OK");
      }
    }

    static Read of(Status status) {
      return new Read(status, new byte[0]);
    }
  }

  private GrpcFrame() {}

  /**
   * Reads the first frame of {@code body}.
   *
   * @param body the body bytes received (a prefix of the body, possibly)
   * @param length how many of them to look at
   * @param maxMessageBytes the largest message read
   */
  public static Read first(byte[] body, int length, int maxMessageBytes) {
    int n = Math.min(length, body == null ? 0 : body.length);
    if (n < PREFIX_BYTES) {
      return Read.of(Status.EMPTY);
    }
    int flag = body[0] & 0xff;
    if (flag > 1) {
      return Read.of(Status.MALFORMED);
    }
    long declared =
        ((long) (body[1] & 0xff) << 24)
            | ((body[2] & 0xff) << 16)
            | ((body[3] & 0xff) << 8)
            | (body[4] & 0xff);
    if (flag == 1) {
      return Read.of(Status.COMPRESSED);
    }
    if (declared > maxMessageBytes) {
      return Read.of(Status.OVERSIZED);
    }
    if (declared > n - PREFIX_BYTES) {
      return Read.of(Status.TRUNCATED);
    }
    return new Read(
        Status.OK, Arrays.copyOfRange(body, PREFIX_BYTES, PREFIX_BYTES + (int) declared));
  }

  /** Frames {@code message} as an uncompressed gRPC message (for tests and clients). */
  public static byte[] frame(byte[] message) {
    byte[] out = new byte[PREFIX_BYTES + message.length];
    int len = message.length;
    out[1] = (byte) (len >>> 24);
    out[2] = (byte) (len >>> 16);
    out[3] = (byte) (len >>> 8);
    out[4] = (byte) len;
    System.arraycopy(message, 0, out, PREFIX_BYTES, len);
    return out;
  }
}
