package dev.semlb.classifier.view;

import static dev.semlb.classifier.view.LlmRequests.assertNoBase64;
import static dev.semlb.classifier.view.LlmRequests.base64;
import static dev.semlb.classifier.view.LlmRequests.lastUser;
import static dev.semlb.classifier.view.LlmRequests.post;
import static dev.semlb.classifier.view.LlmRequests.summary;
import static dev.semlb.classifier.view.LlmRequests.system;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Empty, oddly typed, unknown-field and cut LLM bodies, and the partial JSON reader behind them.
 */
class LlmBodyEdgeCasesTest {

  @Test
  void emptyMessages_noUserTurnAndNoSystem() {
    RequestView view = post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}");

    assertThat(lastUser(view)).isEmpty();
    assertThat(system(view)).isEmpty();
  }

  @Test
  void nonStringContents_readAsNoTextWithoutFailing() {
    String body =
        """
        {"model":"m","messages":[
          {"role":"system","content":{"text":"not a list"}},
          {"role":"user","content":[1,true,null,{"type":"text","text":7},{"type":"text","text":"kept"}]},
          {"role":"assistant","content":42},
          {"role":"user","content":null}]}
        """;

    RequestView view = post("/v1/chat/completions", body);

    assertThat(view.body().kind()).isEqualTo(BodyKind.PROMPT);
    assertThat(system(view)).isEmpty();
    assertThat(lastUser(view)).isEmpty();
    assertThat(PromptParts.content(view.body().json().at("/messages/1/content")))
        .isEqualTo("kept\n");
  }

  @Test
  void unknownFieldsAreIgnored() {
    String body =
        """
        {"model":"gpt-4o","x_trace":{"text":"unrelated marker words"},"metadata":{"team":"alpha"},
         "messages":[{"role":"user","name":"sam","content":"How long should I steep green tea?",
                      "annotations":[{"text":"unrelated marker words"}]}],
         "response_format":{"type":"text"}}
        """;

    RequestView view = post("/v1/chat/completions", body);

    assertThat(lastUser(view)).isEqualTo("How long should I steep green tea?");
    assertThat(summary(view)).isEqualTo("How long should I steep green tea");
    assertThat(view.body().text()).doesNotContain("unrelated").doesNotContain("alpha");
  }

  @Test
  void regression_largeBase64Image_cutBodyWasReadAsRawJsonText() {
    // Past maxBodyBytes the JSON did not parse, so the view's text was the raw body: keys and
    // the first kilobytes of base64, and the summary began "POST chat completions | model ...".
    String big = base64(150_000); // 200 KB of base64
    String body =
        """
        {"model":"gpt-4o","messages":[
          {"role":"system","content":"You grade homework photos."},
          {"role":"user","content":[
            {"type":"text","text":"Is the long division on this page correct?"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,%s"}}]}]}
        """
            .formatted(big);
    assertThat(body.length()).isGreaterThan(200_000);

    long start = System.nanoTime();
    RequestView view = post("/v1/chat/completions", body);
    String summary = summary(view);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(view.body().truncated()).isTrue();
    assertThat(view.body().kind()).isEqualTo(BodyKind.PROMPT);
    assertThat(system(view)).isEqualTo("You grade homework photos.");
    assertThat(lastUser(view)).isEqualTo("Is the long division on this page correct?");
    assertThat(summary).startsWith("Is the long division on this page correct");
    assertNoBase64(view, big);
    assertThat(millis).as("milliseconds for a 200 KB body").isLessThan(2_000);
  }

  @Test
  void largeBase64ImageBeforeTheText_neverInTheText() {
    // The text after a cut image is beyond the read limit: the earlier turn is what is read.
    String big = base64(150_000);
    String body =
        """
        {"model":"claude-sonnet-4-5","max_tokens":300,"messages":[
          {"role":"user","content":"I will send a photo of my fridge."},
          {"role":"assistant","content":"Sure, send it."},
          {"role":"user","content":[
            {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"%s"}},
            {"type":"text","text":"What can I cook tonight?"}]}]}
        """
            .formatted(big);

    RequestView view = post("/v1/messages", body);

    assertThat(view.body().kind()).isEqualTo(BodyKind.PROMPT);
    assertThat(lastUser(view)).isEqualTo("I will send a photo of my fridge.");
    assertNoBase64(view, big);
  }

  @Test
  void cutJsonThatIsNotAnLlmRequest_staysText() {
    String body = "{\"records\":[" + "{\"id\":1,\"name\":\"a\"},".repeat(10_000) + "{}]}";

    RequestView view = post("/bulk", body);

    assertThat(view.body().kind()).isEqualTo(BodyKind.TEXT);
    assertThat(view.body().json()).isNull();
  }

  @Test
  void partialReader_dropsTheCutValueAndKeepsCompleteOnes() {
    String cut = "{\"a\":[1,{\"b\":\"x\"}],\"c\":\"unfinish";
    byte[] b = cut.getBytes(StandardCharsets.UTF_8);

    JsonNode tree =
        TruncatedJson.read(new com.fasterxml.jackson.databind.ObjectMapper(), b, b.length);

    assertThat(tree.toString()).isEqualTo("{\"a\":[1,{\"b\":\"x\"}]}");
  }

  @Test
  void aCutBodyIsReadAgainOnlyWhenItNamesAPromptKey() {
    byte[] chat = "{\"model\":\"m\",\"messages\":[{\"role\"".getBytes(StandardCharsets.UTF_8);
    byte[] bulk =
        "{\"items\":[{\"id\":1,\"note\":\"input prompt\"".getBytes(StandardCharsets.UTF_8);

    assertThat(PromptText.mentionsPromptKey(chat, chat.length)).isTrue();
    assertThat(PromptText.mentionsPromptKey(bulk, bulk.length))
        .as("the words without their quotes as a key do not count")
        .isFalse();
    assertThat(PromptText.mentionsPromptKey(chat, 10)).as("only the first length bytes").isFalse();
  }
}
