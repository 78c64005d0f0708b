package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestSummaryTest {

  private static RequestView json(String method, String path, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return RequestView.of(
        method,
        path,
        Map.of("content-type", "application/json"),
        new BodyExtractor(ViewLimits.DEFAULTS).extract(b, b.length, "application/json", null));
  }

  @Test
  void pathWords_idsBecomeId_noiseAndVersionsDropped() {
    String s =
        RequestSummary.of(
            json("GET", "/api/v2/orders/ORD-55120/lineItems?page=3&sortBy=date", ""), 48);

    assertThat(s).isEqualTo("GET orders id line Items page sort By");
  }

  @Test
  void bodyWords_followTheSeparator_andLargeCountsBecomeScale() {
    String s =
        RequestSummary.of(
            json("POST", "/jobs", "{\"task\":\"resizeImages\",\"count\":42000,\"year\":2024}"), 48);

    assertThat(s).isEqualTo("POST jobs | task resize Images count thousands year");
  }

  @Test
  void isCappedAtMaxWords_whateverTheBodySize() {
    String s =
        RequestSummary.of(json("POST", "/x", "{\"t\":\"" + "word ".repeat(10_000) + "\"}"), 10);

    assertThat(s.split(" ")).hasSizeLessThanOrEqualTo(11);
  }

  @Test
  void regression_promptOfOnlyNumbers_wasNotCutToMaxWords() {
    // Every word of this prompt is an id, so the summary fell back to the whole prompt text:
    // 1,500 words where the model input is capped at 48.
    String prompt = "1 2 3 ".repeat(500);

    String s =
        RequestSummary.of(json("POST", "/v1/completions", "{\"prompt\":\"" + prompt + "\"}"), 48);

    assertThat(s.split(" ")).hasSize(48);
    assertThat(s).startsWith("1 2 3 1 2 3");
  }

  @Test
  void ofText_keepsShortAllNoiseTextAsWritten() {
    assertThat(RequestSummary.ofText("api v1 12", 48)).isEqualTo("api v1 12");
  }

  @Test
  void prompt_withSystemInstructions_endsWithTheirFirstWords() {
    String openAi =
        "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"Summarize the abstract in"
            + " one sentence\"},{\"role\":\"user\",\"content\":\""
            + "perovskite cells ".repeat(40)
            + "\"}]}";
    String anthropic =
        "{\"model\":\"x\",\"system\":[{\"type\":\"text\",\"text\":\"Translate to French\"}],"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"good morning\"}]}";

    String s = RequestSummary.of(json("POST", "/v1/chat/completions", openAi), 16);
    String a = RequestSummary.of(json("POST", "/v1/messages", anthropic), 16);

    assertThat(s).startsWith("perovskite cells").endsWith("Summarize the abstract in");
    assertThat(s.split(" ")).hasSize(16);
    assertThat(a).isEqualTo("good morning Translate to French");
    assertThat(PromptParts.lastUser(json("POST", "/v1/messages", anthropic).body().json()))
        .isEqualTo("good morning");
  }
}
