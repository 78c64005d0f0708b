package dev.semlb.classifier.view;

import static dev.semlb.classifier.view.LlmRequests.IMAGE;
import static dev.semlb.classifier.view.LlmRequests.assertNoBase64;
import static dev.semlb.classifier.view.LlmRequests.lastUser;
import static dev.semlb.classifier.view.LlmRequests.post;
import static dev.semlb.classifier.view.LlmRequests.summary;
import static dev.semlb.classifier.view.LlmRequests.system;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Anthropic messages and Ollama chat/generate bodies: system prompt, last user turn, no base64. */
class AnthropicOllamaBodiesTest {

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
}
