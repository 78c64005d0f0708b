package dev.semlb.worker.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the OpenAI-shaped JSON of one reply: the deterministic reply text (token {@code i} is one
 * word, so whitespace-split words equal the completion tokens), whole responses and stream chunks.
 * Immutable and thread-safe.
 */
final class Replies {

  private static final String[] FILLER =
      ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut"
              + " labore et dolore magna aliqua")
          .split(" ");

  private final ObjectMapper json;
  private final String model;
  private final String[] opening;

  Replies(ObjectMapper json, String model, String pool) {
    this.json = json;
    this.model = model;
    this.opening = ("Demo reply from " + model + " in pool " + pool + ":").split(" ");
  }

  /** Token {@code index} of every reply, with its leading space (none for the first). */
  String token(int index) {
    String word =
        index < opening.length ? opening[index] : FILLER[(index - opening.length) % FILLER.length];
    return index == 0 ? word : " " + word;
  }

  /** The first {@code count} tokens, joined. */
  String text(int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(token(i));
    }
    return text.toString();
  }

  /** The {@code usage} object. */
  ObjectNode usage(int promptTokens, int completionTokens) {
    return json.createObjectNode()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
  }

  private ObjectNode envelope(String id, long created, String object) {
    return json.createObjectNode()
        .put("id", id)
        .put("object", object)
        .put("created", created)
        .put("model", model);
  }

  /** A whole (non-streamed) response. */
  ObjectNode whole(
      CompletionRequest request, String id, long created, int tokens, String finishReason) {
    ObjectNode root = envelope(id, created, request.chat() ? "chat.completion" : "text_completion");
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    if (request.chat()) {
      choice
          .putObject("message")
          .put("role", "assistant")
          .put("content", text(tokens))
          .putNull("refusal");
    } else {
      choice.put("text", text(tokens));
    }
    choice.putNull("logprobs").put("finish_reason", finishReason);
    root.set("usage", usage(request.promptTokens(), tokens));
    return root;
  }

  /**
   * One stream chunk with one choice: {@code content} as the delta (chat; with the assistant role
   * on the first chunk) or the text, and {@code finishReason} (null while generating).
   */
  ObjectNode chunk(
      CompletionRequest request,
      String id,
      long created,
      boolean first,
      String content,
      String finishReason) {
    ObjectNode root =
        envelope(id, created, request.chat() ? "chat.completion.chunk" : "text_completion");
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    if (request.chat()) {
      ObjectNode delta = choice.putObject("delta");
      if (first) {
        delta.put("role", "assistant");
      }
      if (content != null) {
        delta.put("content", content);
      }
    } else {
      choice.put("text", content == null ? "" : content);
    }
    choice.putNull("logprobs").put("finish_reason", finishReason);
    if (request.includeUsage()) {
      root.putNull("usage");
    }
    return root;
  }

  /** The last chunk of a stream that asked for usage: no choices, only {@code usage}. */
  ObjectNode usageChunk(CompletionRequest request, String id, long created, int tokens) {
    ObjectNode root =
        envelope(id, created, request.chat() ? "chat.completion.chunk" : "text_completion");
    root.putArray("choices");
    root.set("usage", usage(request.promptTokens(), tokens));
    return root;
  }

  /** The {@code GET /v1/models} answer: this server's one model. */
  ObjectNode models(long created) {
    ObjectNode root = json.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    data.addObject()
        .put("id", model)
        .put("object", "model")
        .put("created", created)
        .put("owned_by", "semlb-demo");
    return root;
  }

  /** An OpenAI-style error body. */
  ObjectNode error(String message, String type, String param, String code) {
    ObjectNode root = json.createObjectNode();
    root.putObject("error")
        .put("message", message)
        .put("type", type)
        .put("param", param)
        .put("code", code);
    return root;
  }
}
