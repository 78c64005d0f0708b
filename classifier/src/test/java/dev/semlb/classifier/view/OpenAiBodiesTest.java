package dev.semlb.classifier.view;

import static dev.semlb.classifier.view.LlmRequests.IMAGE;
import static dev.semlb.classifier.view.LlmRequests.assertNoBase64;
import static dev.semlb.classifier.view.LlmRequests.lastUser;
import static dev.semlb.classifier.view.LlmRequests.post;
import static dev.semlb.classifier.view.LlmRequests.summary;
import static dev.semlb.classifier.view.LlmRequests.system;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** OpenAI chat, legacy completions, Responses and embeddings bodies as the view reads them. */
class OpenAiBodiesTest {

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
}
