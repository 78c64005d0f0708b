package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.signals.RequestSignals;
import dev.semlb.classifier.signals.Signal;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentDecodingTest {

  private static final Path FIXTURES = Path.of("src/test/resources/view");
  private static final byte[] PLAIN = read("bulk.ndjson");
  private static final byte[] BULK_BR = read("bulk.ndjson.br");
  private static final BodyExtractor EXTRACTOR = new BodyExtractor(ViewLimits.DEFAULTS);

  private static byte[] read(String name) {
    try {
      return Files.readAllBytes(FIXTURES.resolve(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] compress(String coding, byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z =
        switch (coding) {
          case "gzip" -> new GZIPOutputStream(out);
          case "zlib" -> new DeflaterOutputStream(out);
          case "raw-deflate" -> new DeflaterOutputStream(out, new Deflater(6, true));
          case "zstd" -> new ZstdOutputStream(out);
          default -> throw new IllegalArgumentException(coding);
        }) {
      z.write(data);
    }
    return out.toByteArray();
  }

  private static BodyView extract(byte[] body, String type, String encoding) {
    return EXTRACTOR.extract(body, body.length, type, encoding);
  }

  @Test
  void everySupportedCoding_readsAsThePlainBody() throws Exception {
    byte[] plain = PLAIN;
    BodyView expected = extract(plain, "application/x-ndjson", null);
    Map<String, byte[]> encoded =
        Map.of(
            "gzip", compress("gzip", plain),
            "x-gzip", compress("gzip", plain),
            "deflate", compress("zlib", plain),
            "DEFLATE", compress("raw-deflate", plain),
            "br", BULK_BR,
            "zstd", compress("zstd", plain),
            "gzip, zstd", compress("zstd", compress("gzip", plain)),
            "identity, br", BULK_BR);

    encoded.forEach(
        (coding, bytes) -> {
          BodyView view = extract(bytes, "application/x-ndjson", coding);
          assertThat(view.kind()).as(coding).isEqualTo(expected.kind());
          assertThat(view.text()).as(coding).isEqualTo(expected.text());
          assertThat(view.sizeBytes()).as(coding + ": the decoded size").isEqualTo(plain.length);
          assertThat(view.truncated()).as(coding).isFalse();
        });
  }

  private static double[] bulkSignals(BodyView body) {
    return RequestSignals.of(
        RequestView.of(
            "POST", "/logs/_bulk", Map.of("content-type", "application/x-ndjson"), body));
  }

  @Test
  void aDecodedBody_feedsTheSignals() throws Exception {
    byte[] plain = PLAIN;
    byte[] gz = compress("gzip", plain);
    double[] decoded = bulkSignals(extract(gz, "application/x-ndjson", "gzip"));
    double[] opaque = bulkSignals(extract(gz, "application/x-ndjson", "compress"));

    assertThat(decoded[Signal.NDJSON_LINES.ordinal()]).isPositive();
    assertThat(opaque[Signal.NDJSON_LINES.ordinal()]).isZero();
  }

  @Test
  void aDecompressionBomb_yieldsAtMostMaxBodyBytes() throws Exception {
    byte[] zeros = new byte[64 << 20];
    Arrays.fill(zeros, (byte) ' ');
    byte[] bomb = compress("gzip", zeros);
    assertThat(bomb.length).isLessThan(200_000);

    ContentDecoding.Decoded d = ContentDecoding.decode(bomb, bomb.length, "gzip", 64 * 1024, true);
    BodyView view = extract(bomb, "text/plain", "gzip");

    assertThat(d.bytes()).hasSize(64 * 1024);
    assertThat(d.complete()).isFalse();
    assertThat(view.truncated()).isTrue();
    assertThat(view.sizeBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void aBodyCutByTheProxysBuffer_yieldsWhatDecodedBeforeTheCut() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 200_000; i++) {
      text.append("line ").append(i).append(" of a long log export\n");
    }
    byte[] gz = compress("gzip", text.toString().getBytes(StandardCharsets.UTF_8));
    byte[] firstHalf = Arrays.copyOf(gz, gz.length / 2);

    BodyView view = EXTRACTOR.extract(firstHalf, gz.length, "text/plain", "gzip");

    assertThat(view.kind()).isEqualTo(BodyKind.TEXT);
    assertThat(view.text()).startsWith("line 0 of a long log export");
    assertThat(view.truncated()).isTrue();
  }

  @Test
  void unknownOrCorruptEncodings_areOpaque_neverAnError() throws Exception {
    byte[] plain = PLAIN;
    byte[] gz = compress("gzip", plain);
    byte[] corrupt = gz.clone();
    for (int i = 10; i < corrupt.length; i++) {
      corrupt[i] ^= 0x5a;
    }

    assertThat(extract(gz, "application/x-ndjson", "compress").kind()).isEqualTo(BodyKind.BINARY);
    assertThat(extract(plain, "application/x-ndjson", "gzip").kind()).isEqualTo(BodyKind.BINARY);
    assertThat(extract(corrupt, "application/x-ndjson", "gzip").kind()).isEqualTo(BodyKind.BINARY);
    assertThat(extract(gz, "application/x-ndjson", "gzip, gzip, gzip, gzip").kind())
        .as("more than " + ContentDecoding.MAX_LAYERS + " layers")
        .isEqualTo(BodyKind.BINARY);
    assertThat(extract(plain, "application/x-ndjson", "identity").text())
        .isEqualTo(extract(plain, "application/x-ndjson", null).text());
  }
}
