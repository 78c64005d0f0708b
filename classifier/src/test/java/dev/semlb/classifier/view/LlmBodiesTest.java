package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Request bodies of the common LLM APIs, in the shapes their public documentation gives (prompts
 * are our own): what the view reads as the system prompt and the last user turn, and that the
 * summary starts with the user's words. Tool results, tool calls and images are never the user's
 * words, and base64 never reaches the text.
 */
class LlmBodiesTest {

  /** A small PNG-looking base64 payload; its first characters must show up nowhere. */
  private static final String IMAGE = base64(3_000);

  private static RequestView post(String path, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return RequestView.of(
        "POST",
        path,
        Map.of("content-type", "application/json"),
        new BodyExtractor(ViewLimits.DEFAULTS).extract(b, b.length, "application/json", null));
  }

  private static String lastUser(RequestView view) {
    return PromptParts.lastUser(view.body().json()).strip();
  }

  private static String system(RequestView view) {
    return PromptParts.system(view.body().json()).strip();
  }

  private static String summary(RequestView view) {
    return RequestSummary.of(view, 48);
  }

  private static String base64(int bytes) {
    byte[] raw = new byte[bytes];
    new Random(7).nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  /** Neither the view's text nor what routing reads holds any of the image's base64. */
  private static void assertNoBase64(RequestView view, String image) {
    String marker = image.substring(0, 24);
    assertThat(view.body().text()).doesNotContain(marker);
    assertThat(summary(view)).doesNotContain(marker);
    if (view.body().json() != null) {
      assertThat(PromptParts.lastUser(view.body().json())).doesNotContain(marker);
      assertThat(PromptParts.system(view.body().json())).doesNotContain(marker);
    }
  }

  // --- OpenAI chat completions ---

  @Test
  void openAiChat_partsAndToolCalls_lastUserIsTheTextPartsOfTheLastUserMessage() {
    String body =
        """
        {"model":"gpt-4o","temperature":0.2,"messages":[
          {"role":"system","content":"You help customers of a bicycle repair shop."},
          {"role":"user","content":"Do you have an 11-speed chain in stock?"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
            "function":{"name":"check_stock","arguments":"{\\"sku\\":\\"CHAIN-11S\\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"{\\"in_stock\\":true,\\"count\\":4}"},
          {"role":"assistant","content":"Yes, we have four in stock."},
          {"role":"user","content":[
            {"type":"text","text":"Great. Here is my rear derailleur."},
            {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,%s","detail":"low"}},
            {"type":"text","text":"Why does the chain skip on the smallest cog?"}]}
        ]}
        """
            .formatted(IMAGE);

    RequestView view = post("/v1/chat/completions", body);

    assertThat(view.body().kind()).isEqualTo(BodyKind.PROMPT);
    assertThat(system(view)).isEqualTo("You help customers of a bicycle repair shop.");
    assertThat(lastUser(view))
        .isEqualTo(
            "Great. Here is my rear derailleur.\nWhy does the chain skip on the smallest cog?");
    assertThat(summary(view)).startsWith("Great Here is my rear derailleur Why does the chain");
    assertThat(view.body().text()).startsWith("Great. Here is my rear derailleur.");
    assertNoBase64(view, IMAGE);
  }

  @Test
  void openAiChat_developerRoleIsTheSystemPrompt() {
    RequestView view =
        post(
            "/v1/chat/completions",
            """
            {"model":"o3-mini","messages":[
              {"role":"developer","content":[{"type":"text","text":"Answer in British English."}]},
              {"role":"user","content":"Suggest a name for a bakery by the sea."}]}
            """);

    assertThat(system(view)).isEqualTo("Answer in British English.");
    assertThat(lastUser(view)).isEqualTo("Suggest a name for a bakery by the sea.");
    assertThat(summary(view)).startsWith("Suggest a name for a bakery by the sea");
  }

  @Test
  void openAiChat_lastMessageFromToolOrAssistant_theLastUserTurnCounts() {
    String toolLast =
        """
        {"model":"gpt-4o","messages":[
          {"role":"user","content":"What is the weather in Lyon tomorrow?"},
          {"role":"assistant","tool_calls":[{"id":"c","type":"function",
            "function":{"name":"forecast","arguments":"{\\"city\\":\\"Lyon\\"}"}}]},
          {"role":"tool","tool_call_id":"c","content":"sunny spells, 21 degrees"}]}
        """;
    String assistantLast =
        """
        {"model":"gpt-4o","messages":[
          {"role":"user","content":"Write a limerick about a lighthouse keeper."},
          {"role":"assistant","content":"There once was a keeper named Lou"}]}
        """;

    RequestView tool = post("/v1/chat/completions", toolLast);
    RequestView assistant = post("/v1/chat/completions", assistantLast);

    assertThat(lastUser(tool)).isEqualTo("What is the weather in Lyon tomorrow?");
    assertThat(summary(tool)).startsWith("What is the weather in Lyon tomorrow");
    assertThat(lastUser(assistant)).isEqualTo("Write a limerick about a lighthouse keeper.");
    assertThat(summary(assistant)).startsWith("Write a limerick about a lighthouse keeper");
  }

  // --- OpenAI legacy completions ---

  @Test
  void openAiCompletions_promptAsStringOrArray() {
    RequestView string =
        post(
            "/v1/completions",
            "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"List three uses for baking soda.\","
                + "\"max_tokens\":64}");
    RequestView array =
        post(
            "/v1/completions",
            "{\"model\":\"gpt-3.5-turbo-instruct\","
                + "\"prompt\":[\"Translate to Spanish: good night\",\"Translate to Spanish: thank you\"]}");

    assertThat(lastUser(string)).isEqualTo("List three uses for baking soda.");
    assertThat(summary(string)).startsWith("List three uses for baking soda");
    assertThat(system(string)).isEmpty();
    assertThat(lastUser(array))
        .isEqualTo("Translate to Spanish: good night\nTranslate to Spanish: thank you");
    assertThat(summary(array)).startsWith("Translate to Spanish good night");
  }

  // --- OpenAI Responses ---

  @Test
  void openAiResponses_inputStringWithInstructions() {
    RequestView view =
        post(
            "/v1/responses",
            """
            {"model":"gpt-4.1","instructions":"Reply like a ship's captain.",
             "input":"How do I keep basil alive indoors?"}
            """);

    assertThat(view.body().kind()).isEqualTo(BodyKind.PROMPT);
    assertThat(system(view)).isEqualTo("Reply like a ship's captain.");
    assertThat(lastUser(view)).isEqualTo("How do I keep basil alive indoors?");
    assertThat(summary(view)).startsWith("How do I keep basil alive indoors");
  }

  @Test
  void regression_responsesInputList_wasReadAsAnEmbeddingsInput() {
    // The view's text was "embeddings input of 3 texts", so the summary had no user words.
    String body =
        """
        {"model":"gpt-4.1","input":[
          {"role":"developer","content":"Keep answers under fifty words."},
          {"role":"user","content":[
            {"type":"input_text","text":"What plant is this, and is it safe for cats?"},
            {"type":"input_image","image_url":"data:image/png;base64,%s"}]},
          {"type":"function_call","call_id":"fc_1","name":"lookup_plant","arguments":"{}"},
          {"type":"function_call_output","call_id":"fc_1","output":"Chlorophytum comosum"}]}
        """
            .formatted(IMAGE);

    RequestView view = post("/v1/responses", body);

    assertThat(view.body().kind()).isEqualTo(BodyKind.PROMPT);
    assertThat(system(view)).isEqualTo("Keep answers under fifty words.");
    assertThat(lastUser(view)).isEqualTo("What plant is this, and is it safe for cats?");
    assertThat(summary(view)).startsWith("What plant is this and is it safe for cats");
    assertThat(view.body().text()).startsWith("What plant is this");
    assertNoBase64(view, IMAGE);
  }

  @Test
  void regression_responsesInputString_wasReadAsAnEmbeddingsInput() {
    RequestView view =
        post(
            "/v1/responses",
            "{\"model\":\"gpt-4.1\",\"input\":\"Plan a two-day trip to Porto.\",\"stream\":true}");

    assertThat(view.body().text()).isEqualTo("Plan a two-day trip to Porto.");
    assertThat(summary(view)).startsWith("Plan a two day trip to Porto");
  }

  @Test
  void embeddingsInput_isStillReadAsItsSizeOnly() {
    RequestView view =
        post(
            "/v1/embeddings",
            "{\"model\":\"text-embedding-3-small\",\"input\":\"a quiet harbour at dawn\"}");

    assertThat(view.body().text()).isEqualTo("embeddings input of 1 texts");
  }

  // --- Anthropic messages ---

  @Test
  void anthropic_systemString_imageBlockIgnored() {
    String body =
        """
        {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are a patient tutor.",
         "messages":[{"role":"user","content":[
           {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}},
           {"type":"text","text":"Explain the diagram of the water cycle."}]}]}
        """
            .formatted(IMAGE);

    RequestView view = post("/v1/messages", body);

    assertThat(system(view)).isEqualTo("You are a patient tutor.");
    assertThat(lastUser(view)).isEqualTo("Explain the diagram of the water cycle.");
    assertThat(summary(view)).startsWith("Explain the diagram of the water cycle");
    assertNoBase64(view, IMAGE);
  }

  @Test
  void regression_anthropicToolResultTurn_hidTheUsersWords() {
    // The last user message held only a tool_result, so the last user turn read as "".
    String body =
        """
        {"model":"claude-sonnet-4-5","max_tokens":512,
         "system":[{"type":"text","text":"You plan train journeys."},
                   {"type":"text","text":"Prefer direct trains.","cache_control":{"type":"ephemeral"}}],
         "tools":[{"name":"timetable","input_schema":{"type":"object"}}],
         "messages":[
           {"role":"user","content":"Which train gets me from Bern to Milan before noon?"},
           {"role":"assistant","content":[
             {"type":"text","text":"Let me check the timetable."},
             {"type":"tool_use","id":"toolu_1","name":"timetable","input":{"from":"Bern","to":"Milan"}}]},
           {"role":"user","content":[
             {"type":"tool_result","tool_use_id":"toolu_1",
              "content":[{"type":"text","text":"EC 51 departs 08:02"}]}]}]}
        """;

    RequestView view = post("/v1/messages", body);

    assertThat(system(view)).isEqualTo("You plan train journeys.\nPrefer direct trains.");
    assertThat(lastUser(view)).isEqualTo("Which train gets me from Bern to Milan before noon?");
    assertThat(summary(view)).startsWith("Which train gets me from Bern to Milan before noon");
  }

  @Test
  void anthropic_toolResultBesideText_onlyTheTextIsTheUsersWords() {
    String body =
        """
        {"model":"claude-haiku-4-5","max_tokens":256,"messages":[
          {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"toolu_2","content":"file saved"},
            {"type":"text","text":"Now rename it to notes.md please."}]}]}
        """;

    RequestView view = post("/v1/messages", body);

    assertThat(lastUser(view)).isEqualTo("Now rename it to notes.md please.");
    assertThat(summary(view)).startsWith("Now rename it to notes md please");
  }

  // --- Ollama ---

  @Test
  void ollamaChat_imagesArraysIgnored() {
    String body =
        """
        {"model":"llava","stream":false,"messages":[
          {"role":"system","content":"Describe images for a visually impaired reader."},
          {"role":"user","content":"What is in this picture?","images":["%s"]},
          {"role":"assistant","content":"A red kite above a beach."},
          {"role":"user","content":"Is anyone flying it?","images":["%s"]}],
         "options":{"num_predict":128}}
        """
            .formatted(IMAGE, IMAGE);

    RequestView view = post("/api/chat", body);

    assertThat(system(view)).isEqualTo("Describe images for a visually impaired reader.");
    assertThat(lastUser(view)).isEqualTo("Is anyone flying it?");
    assertThat(summary(view)).startsWith("Is anyone flying it");
    assertNoBase64(view, IMAGE);
  }

  @Test
  void ollamaGenerate_promptSystemAndImages() {
    String body =
        """
        {"model":"llava","prompt":"Read the handwritten recipe card.",
         "system":"Transcribe exactly, keep the original units.","images":["%s"],"stream":false}
        """
            .formatted(IMAGE);

    RequestView view = post("/api/generate", body);

    assertThat(view.body().kind()).isEqualTo(BodyKind.PROMPT);
    assertThat(system(view)).isEqualTo("Transcribe exactly, keep the original units.");
    assertThat(lastUser(view)).isEqualTo("Read the handwritten recipe card.");
    assertThat(summary(view)).startsWith("Read the handwritten recipe card");
    assertNoBase64(view, IMAGE);
  }

  // --- Edge cases ---

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
