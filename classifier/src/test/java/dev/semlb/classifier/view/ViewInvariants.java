package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The invariants of the request view, checked on any input by the property tests and the fuzz test
 * alike: extraction never throws, stays within its limits, says honestly whether it cut the body,
 * reads nothing past {@code maxBodyBytes}, is deterministic; the view holds no credentials; the
 * summary stays within its word count.
 */
final class ViewInvariants {

  /** Sent with every checked request; it must show nowhere in the view or the summary. */
  static final String CANARY = "Zx9-canary-credential-Qk7";

  private static final Set<BodyKind> WITH_FIELDS =
      EnumSet.of(BodyKind.JSON, BodyKind.PROMPT, BodyKind.FORM);

  private ViewInvariants() {}

  /** Extracts {@code body} and checks every body invariant; returns the view. */
  static BodyView checkBody(
      BodyExtractor extractor,
      byte[] body,
      long totalSize,
      String contentType,
      String contentEncoding) {
    ViewLimits limits = extractor.limits();
    BodyView view = extractor.extract(body, totalSize, contentType, contentEncoding);

    assertThat(view.kind()).isNotNull();
    assertThat(view.text()).isNotNull();
    assertThat(view.text().length()).as("text length").isLessThanOrEqualTo(limits.maxTextChars());
    if (body.length == 0) {
      assertThat(view)
          .isEqualTo(
              totalSize > 0
                  ? new BodyView(BodyKind.BINARY, "", null, totalSize, true)
                  : BodyView.EMPTY);
      return view;
    }
    boolean encoded = ContentDecoding.isEncoded(contentEncoding);
    ContentDecoding.Decoded d =
        encoded && limits.maxBodyBytes() > 0
            ? ContentDecoding.decode(
                body, body.length, contentEncoding, limits.maxBodyBytes(), body.length >= totalSize)
            : null;
    boolean decoded = d != null && d.bytes().length > 0;
    if (decoded) {
      // Read as decoded: the size is the decoded size, at least what was read.
      assertThat(view.sizeBytes()).as("sizeBytes of a decoded body").isPositive();
    } else {
      int read = encoded ? body.length : Math.min(body.length, limits.maxBodyBytes());
      assertThat(view.sizeBytes()).as("sizeBytes").isEqualTo(Math.max(totalSize, body.length));
      assertThat(view.truncated())
          .as("truncated, having read %d of %d bytes", read, view.sizeBytes())
          .isEqualTo(read < view.sizeBytes());
    }
    assertThat(view.kind()).isNotEqualTo(BodyKind.NONE);
    if (view.kind() == BodyKind.BINARY) {
      assertThat(view.text()).as("text of a binary body").isEmpty();
    }
    if (WITH_FIELDS.contains(view.kind())) {
      assertThat(view.json()).as("fields of a %s body", view.kind()).isNotNull();
    } else if (view.kind() != BodyKind.GRAPHQL) {
      assertThat(view.json()).as("fields of a %s body", view.kind()).isNull();
    }

    assertThat(extractor.extract(body, totalSize, contentType, contentEncoding))
        .as("a second extraction of the same body")
        .isEqualTo(view);
    // Compressed input is read whole (its decoded output is what is bounded), so this holds for
    // plain bodies only.
    if (!encoded && body.length > limits.maxBodyBytes()) {
      byte[] otherTail = body.clone();
      for (int i = limits.maxBodyBytes(); i < otherTail.length; i++) {
        otherTail[i] = (byte) ~otherTail[i];
      }
      assertThat(extractor.extract(otherTail, totalSize, contentType, contentEncoding))
          .as("the same body with other bytes after maxBodyBytes")
          .isEqualTo(view);
    }
    return view;
  }

  /**
   * Builds a view of the request with credential headers added (their value is {@link #CANARY}) and
   * checks the view and its summary: no excluded or pseudo-header, lower-case names, no credential
   * value anywhere, at most {@code maxWords} words of summary.
   */
  static RequestView checkView(
      String method, String target, Map<String, String> rawHeaders, BodyView body, int maxWords) {
    Map<String, String> headers = new LinkedHashMap<>(rawHeaders);
    headers.put("Authorization", "Bearer " + CANARY);
    headers.put("cookie", "sid=" + CANARY);
    headers.put("Proxy-Authorization", "Basic " + CANARY);
    headers.put("SET-COOKIE", CANARY);
    boolean canaryInInput =
        String.valueOf(method).contains(CANARY)
            || String.valueOf(target).contains(CANARY)
            || rawHeaders.values().stream().anyMatch(v -> v != null && v.contains(CANARY))
            || body.toString().contains(CANARY);

    RequestView view = RequestView.of(method, target, headers, body);
    String summary = RequestSummary.of(view, maxWords);

    Set<String> kept = new HashSet<>();
    rawHeaders.forEach(
        (name, value) -> {
          if (name != null && !isDropped(name)) {
            kept.add(value == null ? "" : value);
          }
        });
    view.headers()
        .forEach(
            (name, value) -> {
              assertThat(name)
                  .as("header name")
                  .isEqualTo(name.toLowerCase(Locale.ROOT))
                  .doesNotStartWith(":");
              assertThat(RequestView.EXCLUDED_HEADERS).as("excluded headers").doesNotContain(name);
              assertThat(kept).as("header values sent under names that are kept").contains(value);
            });
    if (!canaryInInput) {
      assertThat(view.toString()).as("the view").doesNotContain(CANARY);
      assertThat(summary).as("the summary").doesNotContain(CANARY);
    }
    // The method counts as one word, whatever it holds (Envoy only lets tokens through).
    int methodWords = view.body().kind() == BodyKind.PROMPT ? 0 : words(view.method());
    assertThat(words(summary) - methodWords)
        .as("words after the method in summary '%s'", summary)
        .isLessThanOrEqualTo(methodWords == 0 ? maxWords : Math.max(maxWords - 1, 0));
    assertThat(RequestSummary.of(view, maxWords)).as("a second summary").isEqualTo(summary);
    return view;
  }

  private static int words(String text) {
    return (int)
        Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty() && !w.equals("|")).count();
  }

  private static boolean isDropped(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.startsWith(":") || RequestView.EXCLUDED_HEADERS.contains(lower);
  }
}
