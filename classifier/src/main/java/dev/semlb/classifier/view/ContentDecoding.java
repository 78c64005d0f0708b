package dev.semlb.classifier.view;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.brotli.dec.BrotliInputStream;

/**
 * Decodes a compressed request body ({@code Content-Encoding}: {@code gzip}, {@code x-gzip}, {@code
 * deflate}, {@code br}, {@code zstd}, or up to {@value #MAX_LAYERS} of them in a list) for
 * classification only; the body Envoy forwards is never touched.
 *
 * <p>Invariant: at most {@code maxOutput} decoded bytes are produced, whatever the input, so a
 * decompression bomb costs no more than reading {@code maxOutput} bytes of output (the decoders
 * stop when reading stops), and the input is at most what Envoy buffered. A body whose encoding is
 * unknown, or that is corrupt, yields {@code null} (the caller then treats it as opaque, as
 * before); a body cut short (Envoy's buffer limit) yields what decoded before the cut. Stateless
 * and thread-safe.
 */
final class ContentDecoding {

  /** More layers than this ({@code gzip, br, ...}) are not decoded. */
  static final int MAX_LAYERS = 3;

  /**
   * Decoded bytes.
   *
   * @param bytes the decoded prefix, at most {@code maxOutput} bytes
   * @param complete whether the whole encoded body decoded to exactly {@code bytes}
   */
  record Decoded(byte[] bytes, boolean complete) {}

  private ContentDecoding() {}

  /** Whether {@code contentEncoding} names an encoding other than {@code identity}. */
  static boolean isEncoded(String contentEncoding) {
    return !layers(contentEncoding).isEmpty();
  }

  /**
   * Decodes {@code body} (its first {@code length} bytes), or returns null when the encoding is not
   * supported or the body is not valid in it. {@code whole} says whether those bytes are the whole
   * body: if not, an error where the bytes end is the cut, not corruption, and what decoded before
   * it is kept.
   */
  static Decoded decode(
      byte[] body, int length, String contentEncoding, int maxOutput, boolean whole) {
    List<String> layers = layers(contentEncoding);
    if (layers.isEmpty() || layers.size() > MAX_LAYERS) {
      return null;
    }
    byte[] out = new byte[maxOutput];
    int n = 0;
    boolean complete;
    try (InputStream in = open(new ByteArrayInputStream(body, 0, length), layers)) {
      if (in == null) {
        return null;
      }
      int r;
      while (n < maxOutput && (r = in.read(out, n, maxOutput - n)) > 0) {
        n += r;
      }
      complete = n < maxOutput || in.read() < 0;
    } catch (IOException | RuntimeException e) {
      // Cut short by the proxy's buffer: keep what decoded before the cut. Corrupt: opaque.
      if (n == 0 || whole) {
        return null;
      }
      complete = false;
    }
    return new Decoded(n == out.length ? out : java.util.Arrays.copyOf(out, n), complete);
  }

  /** Codings in the order they were applied (the header's order), without {@code identity}. */
  private static List<String> layers(String contentEncoding) {
    List<String> layers = new ArrayList<>();
    if (contentEncoding == null) {
      return layers;
    }
    for (String part : contentEncoding.split(",", MAX_LAYERS + 2)) {
      String coding = part.trim().toLowerCase(Locale.ROOT);
      if (!coding.isEmpty() && !coding.equals("identity")) {
        layers.add(coding);
      }
    }
    return layers;
  }

  /** The decoding stream: the last coding applied is removed first. Null if one is unknown. */
  private static InputStream open(InputStream encoded, List<String> layers) throws IOException {
    InputStream in = encoded;
    for (int i = layers.size() - 1; i >= 0; i--) {
      in =
          switch (layers.get(i)) {
            case "gzip", "x-gzip" -> new GZIPInputStream(in, 8192);
            case "deflate" -> deflate(in);
            case "br" -> new BrotliInputStream(in);
            case "zstd" -> new ZstdInputStream(in);
            default -> null;
          };
      if (in == null) {
        return null;
      }
    }
    return in;
  }

  /**
   * HTTP's {@code deflate} is the zlib format (RFC 9110), but some clients send raw DEFLATE: a zlib
   * header (compression method 8, header checksum divisible by 31) tells them apart.
   */
  private static InputStream deflate(InputStream in) throws IOException {
    InputStream buffered = in.markSupported() ? in : new java.io.BufferedInputStream(in);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    boolean zlib = b0 >= 0 && b1 >= 0 && (b0 & 0x0F) == 8 && ((b0 << 8) | b1) % 31 == 0;
    return new InflaterInputStream(buffered, new Inflater(!zlib), 8192) {
      @Override
      public void close() throws IOException {
        super.close();
        inf.end();
      }
    };
  }
}
