package dev.semlb.classifier.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.classifier.view.BodyView;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads past requests' costs from an Envoy file access log in JSON ({@code json_format}, one object
 * a line), so the cost table can start from yesterday's traffic instead of empty. The one parser of
 * that format; {@code docs/classifier.md} ("Seeding from history") gives the exact {@code
 * json_format} and {@code envoy/examples/cost-history-log.yaml} a whole bootstrap.
 *
 * <p>Fields, as Envoy writes them: {@code method} and {@code path} (required), {@code code}, {@code
 * upstream_us} ({@code %COMMON_DURATION(US_TX_BEG:US_RX_END:us)%}: the same upstream time the live
 * feedback takes from the gRPC access log), {@code server_timing}, {@code pool}, {@code cost_key}
 * and {@code bytes_sent}; any other field is ignored. A line without {@code cost_key} (traffic from
 * before semlb routed it) is keyed by method and path template, which is the key of a request whose
 * body names no operation. {@code null} (Envoy's value for an absent header or timing) counts as
 * absent.
 *
 * <p>Never fatal for the data: a line that is not a JSON object, lacks method or path, has a field
 * of the wrong type or is longer than {@link #MAX_LINE_BYTES} is counted by reason in the {@link
 * Summary} and skipped. Huge files are bounded: only the last {@code maxBytes} of the file are read
 * (the most recent traffic), starting at the first whole line. Stateless.
 */
public final class AccessLogHistory {

  /** By default, the last 256 MiB of a log are read. */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  /** Longer lines are skipped (Envoy's lines in the documented format are well under 1 KiB). */
  public static final int MAX_LINE_BYTES = 16 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private AccessLogHistory() {}

  /**
   * What one read found.
   *
   * @param file the log
   * @param fileBytes its size
   * @param startOffset where reading started (0, or later when the file is over the bound)
   * @param lines lines read
   * @param samples lines that became samples
   * @param skipped lines skipped, by reason
   */
  public record Summary(
      Path file,
      long fileBytes,
      long startOffset,
      long lines,
      long samples,
      Map<String, Long> skipped) {

    /** Copies the map. */
    public Summary {
      skipped = Map.copyOf(skipped);
    }

    /** Lines skipped, all reasons. */
    public long skippedLines() {
      return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line for a log or a console, e.g. {@code 78 samples from 80 lines of ...}. */
    public String format() {
      StringBuilder out =
          new StringBuilder(
              String.format(Locale.ROOT, "%d samples from %d lines of %s", samples, lines, file));
      if (startOffset > 0) {
        out.append(
            String.format(
                Locale.ROOT,
                " (its last %d of %d bytes: older lines not read)",
                fileBytes - startOffset,
                fileBytes));
      }
      if (!skipped.isEmpty()) {
        out.append("; skipped ").append(skippedLines()).append(' ').append(new TreeMap<>(skipped));
      }
      return out.toString();
    }
  }

  /**
   * Reads the last {@code maxBytes} of {@code file} and hands each good line's sample to {@code
   * sink} (e.g. {@link CostStats#record}).
   *
   * @throws IOException if the file cannot be read at all (bad lines never throw)
   */
  public static Summary read(Path file, long maxBytes, Consumer<CostSample> sink)
      throws IOException {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
    }
    Map<String, Long> skipped = new TreeMap<>();
    long lines = 0;
    long samples = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long start = Math.max(0, size - maxBytes);
      channel.position(start);
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
      if (start > 0) {
        // Mid-line: the first whole line starts after the next newline.
        int b;
        do {
          b = in.read();
        } while (b != -1 && b != '\n');
      }
      ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
      boolean tooLong = false;
      boolean more = true;
      while (more) {
        int b = in.read();
        if (b != -1 && b != '\n') {
          if (line.size() < MAX_LINE_BYTES) {
            line.write(b);
          } else {
            tooLong = true;
          }
          continue;
        }
        more = b != -1;
        if (line.size() == 0 && !tooLong) {
          continue;
        }
        lines++;
        String problem;
        if (tooLong) {
          problem = "longer than " + MAX_LINE_BYTES + " bytes";
        } else {
          try {
            sink.accept(parse(line.toString(StandardCharsets.UTF_8)));
            samples++;
            problem = null;
          } catch (BadLine e) {
            problem = e.getMessage();
          }
        }
        if (problem != null) {
          skipped.merge(problem, 1L, Long::sum);
        }
        line.reset();
        tooLong = false;
      }
      return new Summary(file, size, start, lines, samples, skipped);
    }
  }

  /**
   * The sample of one log line.
   *
   * @throws BadLine naming what is wrong with it (the message is the summary's reason)
   */
  static CostSample parse(String line) throws BadLine {
    JsonNode node;
    try {
      node = JSON.readTree(line.strip());
    } catch (JsonProcessingException e) {
      throw new BadLine("not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new BadLine("not a JSON object");
    }
    String method = text(node, "method");
    String path = text(node, "path");
    if (method == null || method.isBlank()) {
      throw new BadLine("no method");
    }
    if (path == null || !path.startsWith("/")) {
      throw new BadLine("no path");
    }
    String key = text(node, "cost_key");
    if (key != null) {
      // A file log has a line per request: the feedback weight semlb set does not apply.
      key = CostKeyHeader.parse(key).key();
    }
    if (key != null && key.length() > CostKey.MAX_CHARS) {
      throw new BadLine("cost_key longer than " + CostKey.MAX_CHARS + " characters");
    }
    if (key == null || key.isBlank()) {
      int q = path.indexOf('?');
      key =
          CostKey.of(
              method.strip().toUpperCase(Locale.ROOT),
              q < 0 ? path : path.substring(0, q),
              null, // the log has no content type; a line of a gRPC call carries its cost_key
              BodyView.EMPTY);
    }
    String pool = text(node, "pool");
    double upstreamMicros = number(node, "upstream_us");
    double code = number(node, "code");
    double bytes = number(node, "bytes_sent");
    return new CostSample(
        key,
        pool == null ? "" : pool,
        upstreamMicros >= 0 ? upstreamMicros / 1000 : Double.NaN,
        ServerTiming.millis(text(node, "server_timing")),
        code >= 0 && code <= 999 ? (int) code : 0,
        bytes >= 0 ? (long) bytes : 0);
  }

  /** A text field, or null when absent or JSON null. */
  private static String text(JsonNode node, String field) throws BadLine {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BadLine(field + " not a string");
    }
    return value.asText();
  }

  /** A number (or a number in a string, as Envoy writes header values), NaN when absent. */
  private static double number(JsonNode node, String field) throws BadLine {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Double.NaN;
    }
    double number = Double.NaN;
    if (value.isNumber()) {
      number = value.asDouble();
    } else if (value.isTextual()) {
      try {
        number = Double.parseDouble(value.asText().strip());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    if (Double.isFinite(number)) {
      return number;
    }
    throw new BadLine(field + " not a number");
  }

  /** A line that cannot be read; the message says why, shortly and without the line's text. */
  static final class BadLine extends Exception {
    BadLine(String why) {
      super(why, null, false, false);
    }
  }
}
