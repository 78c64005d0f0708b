package dev.semlb.classifier.view;

import static dev.semlb.classifier.view.RequestArbitraries.words;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/** The request view over generated requests holds no credentials and a short summary. */
class RequestViewPropertyTest {

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

  // ---- generators ----

  @Provide
  Arbitrary<byte[]> bodies() {
    return RequestArbitraries.bodies();
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return RequestArbitraries.contentTypes();
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

  /** {@code name} with the letters where {@code bits} has a 1 in upper case. */
  private static String randomCase(String name, long bits) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append((bits >>> (i % 64) & 1) == 1 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }
}
