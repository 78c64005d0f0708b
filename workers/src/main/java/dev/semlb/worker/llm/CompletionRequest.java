package dev.semlb.worker.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the demo server needs from a {@code /v1/chat/completions} or {@code /v1/completions} body.
 * Prompt tokens are counted deterministically: whitespace-separated words of every message's text
 * (string content, or the {@code text} of each {@code text} part), or of the completion prompt (a
 * string, an array of strings, or token ids, one token each). Immutable.
 *
 * @param chat true for chat completions, false for text completions
 * @param stream whether the reply is a server-sent event stream
 * @param includeUsage whether a stream ends with a chunk carrying {@code usage}
 * @param promptTokens words counted in the prompt
 * @param maxTokens the request's {@code max_completion_tokens} or {@code max_tokens}, or 0 for none
 * @param model the request's {@code model} string, or "" for none (the demo server serves any)
 */
record CompletionRequest(
    boolean chat,
    boolean stream,
    boolean includeUsage,
    int promptTokens,
    int maxTokens,
    String model) {

  /** A request the server refuses with 400; {@code param} names the offending field, or null. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    final String param;

    Invalid(String message, String param) {
      super(message, null, false, false);
      this.param = param;
    }
  }

  /** Parses and checks a body; {@code chat} selects which endpoint's rules apply. */
  static CompletionRequest parse(ObjectMapper json, byte[] body, boolean chat) throws Invalid {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new Invalid("We could not parse the JSON body of your request" + where + ".", null);
    } catch (java.io.IOException e) {
      throw new Invalid("We could not read the body of your request.", null);
    }
    if (root == null || !root.isObject()) {
      throw new Invalid("The request body must be a JSON object.", null);
    }
    int prompt = chat ? countMessages(root.get("messages")) : countPrompt(root.get("prompt"));
    JsonNode stream = root.path("stream");
    if (!stream.isMissingNode() && !stream.isNull() && !stream.isBoolean()) {
      throw new Invalid("'stream' must be a boolean, got " + stream + ".", "stream");
    }
    boolean streaming = stream.asBoolean(false);
    JsonNode options = root.path("stream_options");
    if (!options.isMissingNode() && !options.isNull() && !streaming) {
      throw new Invalid(
          "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
          "stream_options");
    }
    boolean includeUsage = options.path("include_usage").asBoolean(false);
    String maxName = root.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    JsonNode max = root.path(maxName);
    int maxTokens = 0;
    if (!max.isMissingNode() && !max.isNull()) {
      if (!max.canConvertToInt() || !max.isIntegralNumber() || max.asInt() < 1) {
        throw new Invalid("'" + maxName + "' must be an integer >= 1, got " + max + ".", maxName);
      }
      maxTokens = max.asInt();
    }
    JsonNode model = root.path("model");
    return new CompletionRequest(
        chat, streaming, includeUsage, prompt, maxTokens, model.isTextual() ? model.asText() : "");
  }

  private static int countMessages(JsonNode messages) throws Invalid {
    if (messages == null || messages.isNull()) {
      throw new Invalid("Missing required parameter: 'messages'.", "messages");
    }
    if (!messages.isArray() || messages.isEmpty()) {
      throw new Invalid("'messages' must be a non-empty array of messages.", "messages");
    }
    int words = 0;
    for (JsonNode message : messages) {
      if (!message.isObject() || !message.path("role").isTextual()) {
        throw new Invalid(
            "Each message must be an object with a string 'role', got " + abbreviate(message) + ".",
            "messages");
      }
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        words += words(content.asText());
      } else if (content.isArray()) {
        for (JsonNode part : content) {
          if ("text".equals(part.path("type").asText())) {
            words += words(part.path("text").asText(""));
          }
        }
      }
    }
    return words;
  }

  private static int countPrompt(JsonNode prompt) throws Invalid {
    if (prompt == null || prompt.isNull()) {
      throw new Invalid("Missing required parameter: 'prompt'.", "prompt");
    }
    if (prompt.isTextual()) {
      return words(prompt.asText());
    }
    if (prompt.isArray()) {
      int words = 0;
      for (JsonNode item : prompt) {
        if (item.isTextual()) {
          words += words(item.asText());
        } else if (item.isIntegralNumber()) {
          words++;
        } else if (item.isArray()) {
          words += item.size();
        } else {
          throw new Invalid("'prompt' items must be strings or token ids.", "prompt");
        }
      }
      return words;
    }
    throw new Invalid("'prompt' must be a string or an array, got " + abbreviate(prompt), "prompt");
  }

  /** Whitespace-separated words in {@code text}: the demo servers' notion of a token. */
  static int words(String text) {
    int count = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        count++;
      }
      inWord = !space;
    }
    return count;
  }

  private static String abbreviate(JsonNode node) {
    String s = node.toString();
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
