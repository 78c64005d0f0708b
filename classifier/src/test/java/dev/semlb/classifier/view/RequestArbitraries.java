package dev.semlb.classifier.view;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators for the request view's property tests: JSON of any shape, OpenAI-style chat bodies,
 * forms, GraphQL, invalid UTF-8, gzip and random bytes, random limits, content types and encodings.
 * The test classes expose them by name through their own {@code @Provide} methods.
 */
final class RequestArbitraries {

  private static final List<String> KEYS =
      List.of(
          "messages",
          "role",
          "content",
          "prompt",
          "input",
          "model",
          "query",
          "text",
          "type",
          "batch",
          "action",
          "operation",
          "variables",
          "data");

  private RequestArbitraries() {}

  static Arbitrary<ViewLimits> limits() {
    Arbitrary<ViewLimits> small =
        Combinators.combine(
                Arbitraries.integers().between(0, 600),
                Arbitraries.integers().between(1, 300),
                Arbitraries.integers().between(1, ViewLimits.MAX_JSON_DEPTH))
            .as(ViewLimits::new);
    return Arbitraries.frequencyOf(
        Tuple.of(4, small), Tuple.of(1, Arbitraries.just(ViewLimits.DEFAULTS)));
  }

  static Arbitrary<byte[]> bodies() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, anyBytes()),
        Tuple.of(4, json(4).map(RequestArbitraries::utf8)),
        Tuple.of(3, chat().map(RequestArbitraries::utf8)),
        Tuple.of(2, form().map(RequestArbitraries::utf8)),
        Tuple.of(2, graphql().map(RequestArbitraries::utf8)),
        Tuple.of(2, texts().map(RequestArbitraries::utf8)),
        Tuple.of(1, texts().map(RequestArbitraries::gzip)));
  }

  static Arbitrary<byte[]> anyBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(700);
  }

  static Arbitrary<String> texts() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.strings().all().ofMaxLength(200)),
        Tuple.of(3, words().list().ofMaxSize(80).map(w -> String.join(" ", w))),
        Tuple.of(
            1,
            Arbitraries.strings()
                .numeric()
                .ofMaxLength(20)
                .list()
                .ofMaxSize(200)
                .map(w -> String.join(" ", w))));
  }

  static Arbitrary<String> contentTypes() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            6,
            Arbitraries.of(
                "application/json",
                "Application/JSON; charset=utf-8",
                "application/vnd.api+json",
                "application/graphql",
                "application/x-www-form-urlencoded",
                "text/plain",
                "text/html; charset=latin1",
                "application/xml",
                "application/x-ndjson",
                "application/octet-stream",
                "multipart/form-data; boundary=xyz",
                "image/png",
                "",
                ";",
                " ")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(40)),
        Tuple.of(1, Arbitraries.just(null)));
  }

  static Arbitrary<String> encodings() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just(null)),
        Tuple.of(
            3,
            Arbitraries.of(
                "", "identity", " IDENTITY ", "gzip", "br", "deflate", "zstd", "gzip, br")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(10)));
  }

  static Arbitrary<String> words() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)),
        Tuple.of(
            1,
            Arbitraries.of(
                "api",
                "v1",
                "getUserById",
                "JSON",
                "12345",
                "2024",
                "1000000",
                "a1b2c3d4e5",
                "Ωμέγα",
                "данные",
                "数据",
                "🙂")));
  }

  private static Arbitrary<String> json(int depth) {
    Arbitrary<String> scalar =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.strings().all().ofMaxLength(40).map(RequestArbitraries::quote)),
            Tuple.of(2, words().list().ofMaxSize(12).map(w -> quote(String.join(" ", w)))),
            Tuple.of(2, Arbitraries.integers().map(String::valueOf)),
            Tuple.of(
                1,
                Arbitraries.doubles()
                    .map(String::valueOf)
                    .filter(d -> !d.contains("N") && !d.contains("I"))),
            Tuple.of(
                1,
                Arbitraries.of(
                    "true", "false", "null", "1e999", "-0", "123456789012345678901234567890")));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> child = json(depth - 1);
    Arbitrary<String> key =
        Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(KEYS)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)))
            .map(RequestArbitraries::quote);
    Arbitrary<String> array = child.list().ofMaxSize(6).map(l -> "[" + String.join(",", l) + "]");
    Arbitrary<String> object =
        Combinators.combine(key, child)
            .as((k, v) -> k + ":" + v)
            .list()
            .ofMaxSize(6)
            .map(l -> "{" + String.join(",", l) + "}");
    return Arbitraries.frequencyOf(Tuple.of(2, scalar), Tuple.of(1, array), Tuple.of(2, object));
  }

  /** OpenAI-style chat, completion and embedding bodies, well-formed or not quite. */
  private static Arbitrary<String> chat() {
    Arbitrary<String> content =
        Arbitraries.frequencyOf(
            Tuple.of(4, texts().map(RequestArbitraries::quote)),
            Tuple.of(
                2,
                texts()
                    .list()
                    .ofMaxSize(4)
                    .map(
                        parts ->
                            "["
                                + String.join(
                                    ",",
                                    parts.stream()
                                        .map(p -> "{\"type\":\"text\",\"text\":" + quote(p) + "}")
                                        .toList())
                                + "]")),
            Tuple.of(1, Arbitraries.of("null", "42", "{}", "[]", "[1,\"x\",{\"text\":7}]")));
    Arbitrary<String> role = Arbitraries.of("user", "system", "assistant", "tool", "USER", "");
    Arbitrary<String> message =
        Combinators.combine(role, content)
            .as((r, c) -> "{\"role\":" + quote(r) + ",\"content\":" + c + "}");
    Arbitrary<String> messages =
        message.list().ofMaxSize(8).map(m -> "[" + String.join(",", m) + "]");
    return Arbitraries.oneOf(
        messages.map(m -> "{\"model\":\"m\",\"messages\":" + m + "}"),
        content.map(c -> "{\"model\":\"m\",\"prompt\":" + c + "}"),
        content.map(c -> "{\"model\":\"m\",\"input\":" + c + "}"));
  }

  private static Arbitrary<String> form() {
    Arbitrary<String> part =
        Arbitraries.frequencyOf(
            Tuple.of(3, words()),
            Tuple.of(1, Arbitraries.strings().withChars("%+=&abcXYZ019").ofMaxLength(12)),
            Tuple.of(1, Arbitraries.of("%", "%zz", "%e2%82", "%E2%82%AC", "+", "")));
    return Combinators.combine(part, part)
        .as((k, v) -> k + "=" + v)
        .list()
        .ofMaxSize(10)
        .map(pairs -> String.join("&", pairs));
  }

  private static Arbitrary<String> graphql() {
    Arbitrary<String> query =
        Combinators.combine(
                Arbitraries.of(
                    "", "query ", "mutation ", "subscription ", "fragment F on T ", "  \n"),
                words().list().ofMaxSize(6))
            .as(
                (op, fields) ->
                    op + "{ " + String.join(" { ", fields) + " }".repeat(fields.size()) + " }");
    return Arbitraries.oneOf(
        query, query.map(q -> "{\"query\":" + quote(q) + ",\"variables\":{}}"));
  }

  private static String quote(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gzip(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(utf8(s));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
