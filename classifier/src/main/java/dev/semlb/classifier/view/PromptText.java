package dev.semlb.classifier.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The text of an LLM request body that a {@link BodyView} of kind {@link BodyKind#PROMPT} carries:
 * the last user turn first, then earlier turns, newest first (OpenAI chat and Responses, Anthropic
 * messages, Ollama chat), or the prompt (completions, Ollama generate); and a cheap byte scan that
 * says whether a cut body may be one. The prompt-reading half of {@link BodyExtractor}; parts are
 * read by {@link PromptParts}. Stateless.
 */
final class PromptText {

  private PromptText() {}

  /**
   * LLM request bodies: the prompt is what carries meaning, not the keys. Chat ({@code messages})
   * and Responses ({@code input} as a list of items): the last user turn first, then earlier turns,
   * newest first. Completions and Ollama generate ({@code prompt}): the prompt. An {@code input}
   * string is a Responses prompt when the body has a field only the Responses API takes ({@link
   * #RESPONSES_FIELDS}); otherwise, like an {@code input} list of strings, it is read as an
   * embeddings input: only its size. Appends at most about {@code maxChars}; returns false for
   * other bodies.
   */
  static boolean read(JsonNode tree, StringBuilder out, int maxChars) {
    JsonNode messages = tree.path("messages");
    if (messages.isArray() && messages.size() > 0 && messages.get(0).has("content")) {
      appendTurns(messages, out, maxChars);
      return true;
    }
    JsonNode prompt = tree.path("prompt");
    if (prompt.isTextual() || prompt.isArray()) {
      appendContent(prompt, out, maxChars);
      return true;
    }
    JsonNode input = tree.path("input");
    if (input.isArray() && hasItem(input)) {
      appendTurns(input, out, maxChars);
      return true;
    }
    if (input.isTextual() && RESPONSES_FIELDS.stream().anyMatch(tree::has)) {
      appendContent(input, out, maxChars);
      return true;
    }
    if (tree.has("model") && (input.isTextual() || input.isArray())) {
      out.append("embeddings input of ")
          .append(input.isArray() ? input.size() : 1)
          .append(" texts");
      return true;
    }
    return false;
  }

  /** Fields of an OpenAI Responses request that an embeddings request never has. */
  private static final List<String> RESPONSES_FIELDS =
      List.of(
          "instructions",
          "previous_response_id",
          "conversation",
          "reasoning",
          "tools",
          "max_output_tokens",
          "stream",
          "store");

  /** Whether a list holds a Responses input item (a message or another typed item). */
  private static boolean hasItem(JsonNode input) {
    for (JsonNode item : input) {
      if (item.has("role") || item.has("type")) {
        return true;
      }
    }
    return false;
  }

  /** A conversation's text: the last user turn first, then earlier turns, newest first. */
  private static void appendTurns(JsonNode messages, StringBuilder out, int maxChars) {
    int lastUser = PromptParts.lastUserIndex(messages);
    if (lastUser >= 0) {
      JsonNode message = messages.get(lastUser);
      appendContent(message.isTextual() ? message : message.path("content"), out, maxChars);
    }
    for (int i = messages.size() - 1; i >= 0 && out.length() < maxChars; i--) {
      if (i != lastUser) {
        out.append(" ");
        appendContent(messages.get(i).path("content"), out, maxChars);
      }
    }
  }

  /** Appends a message content (read by {@link PromptParts#content}) within the text limit. */
  private static void appendContent(JsonNode content, StringBuilder out, int maxChars) {
    out.append(PromptParts.content(content, ' ', maxChars));
  }

  private static final byte[][] PROMPT_KEYS = {
    "\"messages\"".getBytes(StandardCharsets.US_ASCII),
    "\"prompt\"".getBytes(StandardCharsets.US_ASCII),
    "\"input\"".getBytes(StandardCharsets.US_ASCII)
  };

  /** Whether one of the keys an LLM request is read from occurs in the first {@code length}. */
  static boolean mentionsPromptKey(byte[] body, int length) {
    for (int i = 0; i < length; i++) {
      if (body[i] != '"') {
        continue;
      }
      for (byte[] key : PROMPT_KEYS) {
        if (i + key.length <= length
            && java.util.Arrays.equals(body, i, i + key.length, key, 0, key.length)) {
          return true;
        }
      }
    }
    return false;
  }
}
