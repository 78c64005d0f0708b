package dev.semlb.classifier.view;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of an LLM request body that routing reads: the last user turn and the system
 * instructions. Knows OpenAI chat ({@code messages}), responses ({@code input}, {@code
 * instructions}) and completions ({@code prompt}), Anthropic messages (top-level {@code system})
 * and Ollama chat/generate; content may be a string or a list of parts (text parts are read, images
 * and other parts ignored). Each part is read up to {@link #MAX_CHARS}. Stateless.
 */
public final class PromptParts {

  /** Characters read of each part. */
  public static final int MAX_CHARS = 8192;

  private PromptParts() {}

  /**
   * The conversation's message list ({@code messages}, or a responses {@code input} list), or a
   * missing node.
   */
  public static JsonNode messages(JsonNode body) {
    return body.path("messages").isArray() ? body.path("messages") : body.path("input");
  }

  /** The last user turn's text, "" when there is none. */
  public static String lastUser(JsonNode body) {
    JsonNode messages = messages(body);
    if (messages.isArray()) {
      int i = lastUserIndex(messages);
      if (i < 0) {
        return "";
      }
      JsonNode message = messages.get(i);
      return message.isTextual() ? clip(message.asText()) : content(message.path("content"));
    }
    if (body.path("input").isTextual()) {
      return clip(body.path("input").asText());
    }
    return content(body.path("prompt"));
  }

  /**
   * The index of the last user turn in a message list (a bare string counts as one), or -1. A user
   * message whose content is a list without any text part (only Anthropic {@code tool_result}
   * blocks, or only images) holds no words of the user's and is passed over, as OpenAI's {@code
   * tool} messages are.
   */
  public static int lastUserIndex(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if (message.isTextual()
          || "user".equals(message.path("role").asText()) && hasWords(message.path("content"))) {
        return i;
      }
    }
    return -1;
  }

  /** Whether a content is not a list, or a list with a text part. */
  private static boolean hasWords(JsonNode content) {
    if (!content.isArray()) {
      return true;
    }
    for (JsonNode part : content) {
      if (part.isTextual() || part.path("text").isTextual()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The system instructions: a {@code system}/{@code instructions} field and system or developer
   * messages.
   */
  public static String system(JsonNode body) {
    StringBuilder text = new StringBuilder();
    JsonNode field =
        body.path("system").isMissingNode() ? body.path("instructions") : body.path("system");
    text.append(content(field));
    JsonNode messages = messages(body);
    if (messages.isArray()) {
      for (JsonNode message : messages) {
        String role = message.path("role").asText("");
        if ((role.equals("system") || role.equals("developer")) && text.length() < MAX_CHARS) {
          text.append(text.length() == 0 ? "" : " ").append(content(message.path("content")));
        }
      }
    }
    return clip(text.toString());
  }

  /**
   * A message content: a string, or the text parts of a list, one per line; up to {@link
   * #MAX_CHARS}.
   */
  public static String content(JsonNode content) {
    return content(content, '\n', MAX_CHARS);
  }

  /**
   * A message content, read up to {@code maxChars}: a string, or the text parts of a list (images
   * and other parts ignored), each followed by {@code separator}.
   */
  public static String content(JsonNode content, char separator, int maxChars) {
    if (content.isTextual()) {
      String text = content.asText();
      return text.length() > maxChars ? text.substring(0, maxChars) : text;
    }
    StringBuilder out = new StringBuilder();
    if (content.isArray()) {
      for (JsonNode part : content) {
        if (out.length() >= maxChars) {
          break;
        }
        JsonNode text = part.isTextual() ? part : part.path("text");
        if (text.isTextual()) {
          out.append(text.asText()).append(separator);
        }
      }
    }
    return out.length() > maxChars ? out.substring(0, maxChars) : out.toString();
  }

  private static String clip(String s) {
    return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s;
  }
}
