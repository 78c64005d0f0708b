package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyExtractorTest {

  private final BodyExtractor extractor = new BodyExtractor(new ViewLimits(1024, 200, 16));

  private BodyView extract(String body, String contentType) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return extractor.extract(bytes, bytes.length, contentType, null);
  }

  @Test
  void json_flattensKeysAndValues_andKeepsTheTree() {
    BodyView view =
        extract(
            "{\"action\":\"CREATE_USER\",\"data\":{\"name\":\"Alice\",\"age\":30}}",
            "application/json; charset=utf-8");

    assertThat(view.kind()).isEqualTo(BodyKind.JSON);
    assertThat(view.text()).isEqualTo("action CREATE_USER data name Alice age 30");
    assertThat(view.json().path("data").path("name").asText()).isEqualTo("Alice");
    assertThat(view.truncated()).isFalse();
  }

  @Test
  void jsonWithGraphqlQuery_isGraphql() {
    BodyView view = extract("{\"query\":\"{ user { id name } }\"}", "application/json");

    assertThat(view.kind()).isEqualTo(BodyKind.GRAPHQL);
    assertThat(view.text()).contains("{ user { id name } }");
  }

  @Test
  void graphqlDocumentAfterCommentsAndCommas_isGraphql() {
    BodyView tagged =
        extract(
            "{\"query\":\"#graphql\\n  # the shop\\n , query Shop { shop { name } }\"}",
            "application/json");
    BodyView notGraphql =
        extract("{\"query\":\"# just a comment\\nselect name from shop\"}", "application/json");
    byte[] comments =
        ("{\"query\":\"" + "#\\n".repeat(5_000) + "x\"}").getBytes(StandardCharsets.UTF_8);
    BodyView manyComments =
        new BodyExtractor(new ViewLimits(65_536, 200, 16))
            .extract(comments, comments.length, "application/json", null);

    assertThat(tagged.kind()).isEqualTo(BodyKind.GRAPHQL);
    assertThat(notGraphql.kind()).isEqualTo(BodyKind.JSON);
    assertThat(manyComments.kind()).isEqualTo(BodyKind.JSON);
  }

  @Test
  void jsonWithSqlQuery_staysJson() {
    assertThat(extract("{\"query\":\"SELECT 1\"}", "application/json").kind())
        .isEqualTo(BodyKind.JSON);
  }

  @Test
  void malformedJson_fallsBackToText() {
    BodyView view = extract("{\"query\": \"SELECT id", "application/json");

    assertThat(view.kind()).isEqualTo(BodyKind.TEXT);
    assertThat(view.text()).isEqualTo("{\"query\": \"SELECT id");
    assertThat(view.json()).isNull();
  }

  @Test
  void jsonDeeperThanTheLimit_isReadAsText_withoutThrowing() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    byte[] bytes = deep.getBytes(StandardCharsets.US_ASCII);

    BodyView view =
        new BodyExtractor(ViewLimits.DEFAULTS)
            .extract(bytes, bytes.length, "application/json", null);

    assertThat(view.kind()).isEqualTo(BodyKind.TEXT);
    assertThat(view.json()).isNull();
    assertThat(view.truncated()).isTrue();
  }

  @Test
  void jsonNestedPastMaxJsonDepth_isText() {
    BodyView view = extract("[".repeat(20) + "]".repeat(20), "application/json");

    assertThat(view.kind()).isEqualTo(BodyKind.TEXT);
    assertThat(view.json()).isNull();
    assertThat(view.truncated()).isFalse();
  }

  @Test
  void bodyOverTheReadLimit_isTruncated_andKeepsItsFullSize() {
    String big = "{\"k\":\"" + "x".repeat(5000) + "\"}";
    BodyView view = extract(big, "application/json");

    assertThat(view.truncated()).isTrue();
    assertThat(view.sizeBytes()).isEqualTo(big.length());
    assertThat(view.kind()).isEqualTo(BodyKind.TEXT);
    assertThat(view.text()).hasSize(200);
  }

  @Test
  void form_decodesFields_andExposesThemAsJson() {
    BodyView view =
        extract("user=bo%40x.org&plan=pro+plus&flag", "application/x-www-form-urlencoded");

    assertThat(view.kind()).isEqualTo(BodyKind.FORM);
    assertThat(view.json().path("user").asText()).isEqualTo("bo@x.org");
    assertThat(view.json().path("plan").asText()).isEqualTo("pro plus");
    assertThat(view.text()).isEqualTo("user bo@x.org plan pro plus flag");
  }

  @Test
  void graphqlContentType_keepsTheDocument() {
    BodyView view = extract("query { orders(first: 5) { id } }", "application/graphql");

    assertThat(view.kind()).isEqualTo(BodyKind.GRAPHQL);
    assertThat(view.text()).isEqualTo("query { orders(first: 5) { id } }");
  }

  @Test
  void binaryContentType_contributesNoText() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
    BodyView view = extractor.extract(png, png.length, "image/png", null);

    assertThat(view.kind()).isEqualTo(BodyKind.BINARY);
    assertThat(view.text()).isEmpty();
  }

  @Test
  void compressedBodyThatDoesNotDecode_contributesNoText_evenIfJson() {
    // Ten bytes short of a gzip header: ContentDecoding gives up, the body stays opaque.
    byte[] gz = {0x1f, (byte) 0x8b, 8, 0, 0, 0};
    BodyView view = extractor.extract(gz, gz.length, "application/json", "gzip");

    assertThat(view.kind()).isEqualTo(BodyKind.BINARY);
    assertThat(view.text()).isEmpty();
  }

  @Test
  void invalidUtf8Text_isReplaced_notThrown() {
    byte[] bad = {'h', 'i', (byte) 0xC3, (byte) 0x28, ' ', 'x'};
    BodyView view = extractor.extract(bad, bad.length, "text/plain", null);

    assertThat(view.kind()).isEqualTo(BodyKind.TEXT);
    assertThat(view.text()).startsWith("hi").endsWith(" x").contains("\uFFFD");
  }

  @Test
  void noContentType_sniffsJsonTextOrBinary() {
    assertThat(extract("{\"a\":1}", null).kind()).isEqualTo(BodyKind.JSON);
    assertThat(extract("hello there", null).kind()).isEqualTo(BodyKind.TEXT);
    byte[] bin = {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe};
    assertThat(extractor.extract(bin, bin.length, null, null).kind()).isEqualTo(BodyKind.BINARY);
  }

  @Test
  void openAiChat_putsTheLastUserTurnFirst_withoutKeys() {
    BodyView view =
        extract(
            "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"write a sort in Rust\"}]}]}",
            "application/json");

    assertThat(view.kind()).isEqualTo(BodyKind.PROMPT);
    assertThat(view.text())
        .startsWith("write a sort in Rust")
        .contains("hello")
        .contains("Be brief.")
        .doesNotContain("role")
        .doesNotContain("model");
  }

  @Test
  void openAiCompletionAndEmbeddings() {
    assertThat(
            extract(
                    "{\"model\":\"m\",\"prompt\":\"Once upon a time\",\"max_tokens\":5}",
                    "application/json")
                .text())
        .isEqualTo("Once upon a time");
    assertThat(
            extract("{\"model\":\"m\",\"input\":[\"a\",\"b\",\"c\"]}", "application/json").text())
        .isEqualTo("embeddings input of 3 texts");
  }

  @Test
  void emptyBody_isNone() {
    assertThat(extractor.extract(new byte[0], 0, "application/json", null))
        .isEqualTo(BodyView.EMPTY);
  }

  @Test
  void regression_truncatedWasFalse_whenTotalSizeUnderstatedTheBody() {
    // 100 bytes given, 50 read, but the caller's total size says 10: the flag used to compare
    // the bytes read with that 10 and claim the body was read whole.
    BodyExtractor small = new BodyExtractor(new ViewLimits(50, 10, 5));
    byte[] body = "a".repeat(100).getBytes(StandardCharsets.US_ASCII);

    BodyView view = small.extract(body, 10, "text/plain", null);

    assertThat(view.sizeBytes()).isEqualTo(100);
    assertThat(view.truncated()).isTrue();
  }

  @Test
  void regression_unboundedJsonDepthLimit_overflowedTheStack() {
    // Any maxJsonDepth was accepted, and walking JSON a million levels deep for its text threw
    // StackOverflowError out of extract(), which promises never to throw.
    assertThatThrownBy(() -> new ViewLimits(4 << 20, 100, Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxJsonDepth: 2147483647 (expected: 1..1000)");

    byte[] deep =
        ("[".repeat(1_000_000) + "]".repeat(1_000_000)).getBytes(StandardCharsets.US_ASCII);
    BodyExtractor deepest =
        new BodyExtractor(new ViewLimits(4 << 20, 100, ViewLimits.MAX_JSON_DEPTH));
    assertThat(deepest.extract(deep, deep.length, "application/json", null).kind())
        .isEqualTo(BodyKind.TEXT);
  }

  @Test
  void jsonAtTheLargestDepthLimit_isWalkedForItsText() {
    int depth = ViewLimits.MAX_JSON_DEPTH;
    byte[] deep =
        ("{\"k\":".repeat(depth - 1) + "[\"bottom\"" + "]" + "}".repeat(depth - 1))
            .getBytes(StandardCharsets.US_ASCII);
    BodyExtractor deepest = new BodyExtractor(new ViewLimits(1 << 20, 1 << 20, depth));

    BodyView view = deepest.extract(deep, deep.length, "application/json", null);

    assertThat(view.kind()).isEqualTo(BodyKind.JSON);
    assertThat(view.text()).endsWith("k bottom");
  }

  @Test
  void hugeArray_isReadWithinTheLimits() {
    String array = "[" + "\"word\",".repeat(20_000) + "1]";
    byte[] body = array.getBytes(StandardCharsets.US_ASCII);

    BodyView view =
        new BodyExtractor(ViewLimits.DEFAULTS).extract(body, body.length, "application/json", null);

    assertThat(view.truncated()).isTrue();
    assertThat(view.kind()).isEqualTo(BodyKind.TEXT);
    assertThat(view.text()).hasSize(ViewLimits.DEFAULTS.maxTextChars());

    byte[] whole = ("[" + "\"word\",".repeat(5_000) + "1]").getBytes(StandardCharsets.US_ASCII);
    BodyView parsed =
        new BodyExtractor(ViewLimits.DEFAULTS)
            .extract(whole, whole.length, "application/json", null);
    assertThat(parsed.kind()).isEqualTo(BodyKind.JSON);
    assertThat(parsed.text())
        .hasSizeLessThanOrEqualTo(ViewLimits.DEFAULTS.maxTextChars())
        .startsWith("word word");
  }
}
