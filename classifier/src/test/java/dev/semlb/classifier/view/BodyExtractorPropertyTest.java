package dev.semlb.classifier.view;

import static dev.semlb.classifier.view.RequestArbitraries.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Body extraction over generated bodies, limits and types keeps {@link ViewInvariants}. */
class BodyExtractorPropertyTest {

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

  // ---- generators (in RequestArbitraries) ----

  @Provide
  Arbitrary<ViewLimits> limits() {
    return RequestArbitraries.limits();
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return RequestArbitraries.bodies();
  }

  @Provide
  Arbitrary<byte[]> anyBytes() {
    return RequestArbitraries.anyBytes();
  }

  @Provide
  Arbitrary<String> texts() {
    return RequestArbitraries.texts();
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return RequestArbitraries.contentTypes();
  }

  @Provide
  Arbitrary<String> encodings() {
    return RequestArbitraries.encodings();
  }
}
