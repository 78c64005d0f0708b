package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Random;

/**
 * Request bodies of the common LLM APIs, in the shapes their public documentation gives (prompts
 * are our own), built into views, and what routing reads back from them: the system prompt, the
 * last user turn and the summary. Shared by the LLM body tests, which check that tool results, tool
 * calls and images are never the user's words and that base64 never reaches the text.
 */
final class LlmRequests {

  /** A small PNG-looking base64 payload; its first characters must show up nowhere. */
  static final String IMAGE = base64(3_000);

  private LlmRequests() {}

  static RequestView post(String path, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return RequestView.of(
        "POST",
        path,
        Map.of("content-type", "application/json"),
        new BodyExtractor(ViewLimits.DEFAULTS).extract(b, b.length, "application/json", null));
  }

  static String lastUser(RequestView view) {
    return PromptParts.lastUser(view.body().json()).strip();
  }

  static String system(RequestView view) {
    return PromptParts.system(view.body().json()).strip();
  }

  static String summary(RequestView view) {
    return RequestSummary.of(view, 48);
  }

  static String base64(int bytes) {
    byte[] raw = new byte[bytes];
    new Random(7).nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  /** Neither the view's text nor what routing reads holds any of the image's base64. */
  static void assertNoBase64(RequestView view, String image) {
    String marker = image.substring(0, 24);
    assertThat(view.body().text()).doesNotContain(marker);
    assertThat(summary(view)).doesNotContain(marker);
    if (view.body().json() != null) {
      assertThat(PromptParts.lastUser(view.body().json())).doesNotContain(marker);
      assertThat(PromptParts.system(view.body().json())).doesNotContain(marker);
    }
  }
}
