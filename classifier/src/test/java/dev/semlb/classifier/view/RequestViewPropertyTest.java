package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the request view over generated requests: JSON of any shape, OpenAI-style chat
 * bodies, forms, GraphQL, deep nesting, invalid UTF-8, gzip and random bytes, under random limits
 * and content types. The invariants themselves are in {@link ViewInvariants} (the fuzz test checks
 * the same ones).
 */
class RequestViewPropertyTest {

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

  @Property(tries = 600)
  void extract_neverThrows_staysWithinLimits_andIsHonestAboutTruncation(
      @ForAll("limits") ViewLimits limits,
      @ForAll("bodies") byte[] body,
      @ForAll @LongRange(min = -3, max = 3000) long totalSize,
      @ForAll("contentTypes") String contentType,
      @ForAll("encodings") String contentEncoding) {
    BodyExtractor extractor = new BodyExtractor(limits);

    ViewInvariants.checkBody(extractor, body, totalSize, contentType, contentEncoding);
    ViewInvariants.checkBody(extractor, body, body.length, contentType, contentEncoding);
  }

  @Property(tries = 300)
  void view_neverHoldsCredentials_andItsSummaryStaysWithinMaxWords(
      @ForAll("methods") String method,
      @ForAll("targets") String target,
      @ForAll("headers") Map<String, String> headers,
      @ForAll("bodies") byte[] body,
      @ForAll("contentTypes") String contentType,
      @ForAll @IntRange(min = 1, max = 64) int maxWords) {
    BodyView bodyView =
        new BodyExtractor(ViewLimits.DEFAULTS).extract(body, body.length, contentType, null);

    ViewInvariants.checkView(method, target, headers, bodyView, maxWords);
  }

  @Property(tries = 200)
  void canonicalConstructor_dropsCredentialsToo(@ForAll("headers") Map<String, String> headers) {
    RequestView view = new RequestView("GET", "/", "", "", headers, BodyView.EMPTY);

    assertThat(view.headers().keySet())
        .allSatisfy(
            name -> assertThat(name).isEqualTo(name.toLowerCase(Locale.ROOT)).doesNotStartWith(":"))
        .doesNotContainAnyElementsOf(RequestView.EXCLUDED_HEADERS);
  }

  @Property(tries = 200)
  void invalidUtf8_withoutContentType_isBinary(
      @ForAll("anyBytes") byte[] tail, @ForAll @IntRange(min = 0, max = 3) int leadingSpaces) {
    // 0xFF is never valid in UTF-8 and is not the start of a JSON document.
    byte[] body = new byte[leadingSpaces + 1 + tail.length];
    java.util.Arrays.fill(body, 0, leadingSpaces, (byte) ' ');
    body[leadingSpaces] = (byte) 0xFF;
    System.arraycopy(tail, 0, body, leadingSpaces + 1, tail.length);

    BodyView view =
        ViewInvariants.checkBody(
            new BodyExtractor(ViewLimits.DEFAULTS), body, body.length, null, null);

    assertThat(view.kind()).isEqualTo(BodyKind.BINARY);
    assertThat(view.text()).isEmpty();
  }

  @Property(tries = 200)
  void gzip_readsAsItsPlainBody_withTheEncodingHeader_andIsBinaryWhenSniffed(
      @ForAll("texts") String text, @ForAll("contentTypes") String contentType) {
    byte[] gzip = gzip(text);
    byte[] plain = text.getBytes(StandardCharsets.UTF_8);
    BodyExtractor extractor = new BodyExtractor(ViewLimits.DEFAULTS);

    BodyView decoded = ViewInvariants.checkBody(extractor, gzip, gzip.length, contentType, "gzip");
    BodyView expected = ViewInvariants.checkBody(extractor, plain, plain.length, contentType, null);
    if (plain.length == 0) {
      assertThat(decoded.kind()).isEqualTo(BodyKind.BINARY);
    } else {
      assertThat(decoded.kind()).isEqualTo(expected.kind());
      assertThat(decoded.text()).isEqualTo(expected.text());
    }
    assertThat(ViewInvariants.checkBody(extractor, gzip, gzip.length, null, null).kind())
        .isEqualTo(BodyKind.BINARY);
  }

  @Property(tries = 100)
  void deepNesting_anyDepth_neverOverflows(
      @ForAll @IntRange(min = 1, max = 50_000) int depth,
      @ForAll("limits") ViewLimits limits,
      @ForAll boolean objects,
      @ForAll boolean closed) {
    String open = objects ? "{\"a\":" : "[";
    String close = objects ? "}" : "]";
    String json = open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "");
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    BodyExtractor extractor =
        new BodyExtractor(
            new ViewLimits(body.length, limits.maxTextChars(), limits.maxJsonDepth()));

    BodyView view =
        ViewInvariants.checkBody(extractor, body, body.length, "application/json", null);

    boolean parses = closed && depth <= limits.maxJsonDepth();
    assertThat(view.kind()).isEqualTo(parses ? BodyKind.JSON : BodyKind.TEXT);
  }

  // ---- generators ----

  @Provide
  Arbitrary<ViewLimits> limits() {
    Arbitrary<ViewLimits> small =
        Combinators.combine(
                Arbitraries.integers().between(0, 600),
                Arbitraries.integers().between(1, 300),
                Arbitraries.integers().between(1, ViewLimits.MAX_JSON_DEPTH))
            .as(ViewLimits::new);
    return Arbitraries.frequencyOf(
        Tuple.of(4, small), Tuple.of(1, Arbitraries.just(ViewLimits.DEFAULTS)));
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, anyBytes()),
        Tuple.of(4, json(4).map(RequestViewPropertyTest::utf8)),
        Tuple.of(3, chat().map(RequestViewPropertyTest::utf8)),
        Tuple.of(2, form().map(RequestViewPropertyTest::utf8)),
        Tuple.of(2, graphql().map(RequestViewPropertyTest::utf8)),
        Tuple.of(2, texts().map(RequestViewPropertyTest::utf8)),
        Tuple.of(1, texts().map(RequestViewPropertyTest::gzip)));
  }

  @Provide
  Arbitrary<byte[]> anyBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(700);
  }

  @Provide
  Arbitrary<String> texts() {
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

  @Provide
  Arbitrary<String> contentTypes() {
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

  @Provide
  Arbitrary<String> encodings() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just(null)),
        Tuple.of(
            3,
            Arbitraries.of(
                "", "identity", " IDENTITY ", "gzip", "br", "deflate", "zstd", "gzip, br")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(10)));
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.of("GET", "post", "Put", "DELETE", "PATCH", "HEAD", "OPTIONS")),
        Tuple.of(1, Arbitraries.strings().alpha().ofMaxLength(10)),
        Tuple.of(1, Arbitraries.just(null)));
  }

  @Provide
  Arbitrary<String> targets() {
    Arbitrary<String> segment =
        Arbitraries.frequencyOf(
            Tuple.of(3, words()),
            Tuple.of(1, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12)),
            Tuple.of(1, Arbitraries.strings().withChars("0123456789abcdef-").ofLength(36)),
            Tuple.of(1, Arbitraries.of("v1", "v2beta1", "api", "graphql", "predict", "healthz")));
    Arbitrary<String> path = segment.list().ofMaxSize(8).map(s -> "/" + String.join("/", s));
    Arbitrary<String> query =
        Combinators.combine(words(), Arbitraries.strings().ofMaxLength(10))
            .as((k, v) -> k + "=" + v)
            .list()
            .ofMaxSize(4)
            .map(q -> q.isEmpty() ? "" : "?" + String.join("&", q));
    return Arbitraries.frequencyOf(
        Tuple.of(6, Combinators.combine(path, query).as(String::concat)),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(60)),
        Tuple.of(1, Arbitraries.just(null)));
  }

  @Provide
  Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> credential =
        Combinators.combine(
                Arbitraries.of(RequestView.EXCLUDED_HEADERS.toArray(String[]::new)),
                Arbitraries.longs())
            .as(RequestViewPropertyTest::randomCase);
    Arbitrary<String> name =
        Arbitraries.frequencyOf(
            Tuple.of(3, credential),
            Tuple.of(
                2,
                Arbitraries.of(
                    "content-type",
                    "Content-Type",
                    "accept",
                    "x-api-key",
                    "x-request-id",
                    ":authority",
                    ":path",
                    ":method",
                    "content-length",
                    "x-tenant")),
            Tuple.of(1, Arbitraries.strings().ofMinLength(1).ofMaxLength(12)));
    Arbitrary<String> value =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.strings().ofMaxLength(30)),
            Tuple.of(
                1,
                Arbitraries.of(
                    "Bearer sk-live-123", "sid=abc; theme=dark", "application/json", "")));
    return Arbitraries.maps(name, value).ofMaxSize(8);
  }

  private static Arbitrary<String> words() {
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
            Tuple.of(
                4, Arbitraries.strings().all().ofMaxLength(40).map(RequestViewPropertyTest::quote)),
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
            .map(RequestViewPropertyTest::quote);
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
  private Arbitrary<String> chat() {
    Arbitrary<String> content =
        Arbitraries.frequencyOf(
            Tuple.of(4, texts().map(RequestViewPropertyTest::quote)),
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

  /** {@code name} with the letters where {@code bits} has a 1 in upper case. */
  private static String randomCase(String name, long bits) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append((bits >>> (i % 64) & 1) == 1 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  private static String quote(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(utf8(s));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
