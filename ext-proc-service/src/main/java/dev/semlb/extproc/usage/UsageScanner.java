package dev.semlb.extproc.usage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads token usage, the served model and the first generated content from an LLM response body fed
 * chunk by chunk, in one pass over the bytes and in constant memory: it keeps its lexer state
 * (inside a string or not, nesting depth, the last key, at most {@value #MAX_KEY} bytes of it, and
 * at most {@value #MAX_MODEL} bytes of the model name) across chunks, never the body. The framing
 * does not matter: a whole JSON response, server-sent events ({@code data: {...}} lines and {@code
 * [DONE]}) or newline-delimited JSON all read the same, since JSON strings cannot contain a raw
 * quote.
 *
 * <p>What is read:
 *
 * <ul>
 *   <li>Tokens: the numbers directly inside any {@code "usage": {...}} object, {@code
 *       prompt_tokens} or {@code input_tokens} as prompt and {@code completion_tokens} or {@code
 *       output_tokens} as completion (OpenAI chat and text completions, whole or the last stream
 *       chunk with {@code include_usage}; the Responses API's {@code response.completed}; Anthropic
 *       {@code message_start} and {@code message_delta}). A later value replaces an earlier one, so
 *       cumulative counts (Anthropic, vLLM's continuous usage) end at the total. Nested details
 *       ({@code prompt_tokens_details}, cache counts) are not added. Ollama's native {@code
 *       prompt_eval_count} and {@code eval_count} count too, wherever they are.
 *   <li>Model: the first string value of a {@code model} key.
 *   <li>Content: whether a non-empty string value of {@code content}, {@code text}, {@code delta},
 *       {@code reasoning_content}, {@code thinking}, {@code arguments} or {@code response} has
 *       started (an empty first delta, a role-only chunk or {@code "content": null} is not
 *       content).
 * </ul>
 *
 * <p>Not thread-safe: one scanner per response, fed from one thread at a time.
 */
public final class UsageScanner {

  /** Key bytes kept; longer keys are none of those read. */
  static final int MAX_KEY = 24;

  /** Model name bytes kept (a pool's model is at most 256 characters). */
  static final int MAX_MODEL = 256;

  private enum Field {
    NONE,
    PROMPT,
    COMPLETION,
    OLLAMA_PROMPT,
    OLLAMA_COMPLETION
  }

  private static final byte[][] PROMPT_KEYS = keys("prompt_tokens", "input_tokens");
  private static final byte[][] COMPLETION_KEYS = keys("completion_tokens", "output_tokens");
  private static final byte[][] CONTENT_KEYS =
      keys("content", "text", "delta", "reasoning_content", "thinking", "arguments", "response");
  private static final byte[] USAGE = bytes("usage");
  private static final byte[] MODEL = bytes("model");
  private static final byte[] OLLAMA_PROMPT = bytes("prompt_eval_count");
  private static final byte[] OLLAMA_COMPLETION = bytes("eval_count");

  // Lexer state, kept across chunks.
  private boolean inString;
  private boolean escaped;
  private int depth;
  private final byte[] key = new byte[MAX_KEY];
  private int keyLength;
  private boolean keyTooLong;
  // The string just closed may be a key: true until a byte other than whitespace or ':' follows.
  private boolean afterString;
  // A key and its ':' were read; the next non-whitespace byte starts its value.
  private boolean awaitingValue;
  private final byte[] valueKey = new byte[MAX_KEY];
  private int valueKeyLength;
  // What the current string value is: a model name to keep, or content to look at.
  private boolean readingModel;
  private boolean readingContent;
  private boolean contentFirstByte;
  private final byte[] modelBytes = new byte[MAX_MODEL];
  private int modelLength = -1;
  // The depth inside the current usage object, or -1 outside one.
  private int usageDepth = -1;
  private Field number = Field.NONE;
  private long numberValue;

  private long prompt = -1;
  private long completion = -1;
  private boolean usage;
  private boolean content;

  /** Feeds the next chunk of the body; its bytes are read, not kept. */
  public void feed(ByteBuffer chunk) {
    for (int i = chunk.position(), end = chunk.limit(); i < end; i++) {
      read(chunk.get(i));
    }
  }

  /** Feeds the next chunk of the body. */
  public void feed(byte[] chunk) {
    feed(ByteBuffer.wrap(chunk));
  }

  private void read(byte b) {
    if (inString) {
      readInString(b);
      return;
    }
    if (number != Field.NONE) {
      if (b >= '0' && b <= '9') {
        numberValue =
            numberValue >= Long.MAX_VALUE / 10 ? Long.MAX_VALUE : numberValue * 10 + b - '0';
        return;
      }
      endNumber();
    }
    if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
      return;
    }
    if (afterString) {
      afterString = false;
      if (b == ':') {
        System.arraycopy(key, 0, valueKey, 0, keyLength);
        valueKeyLength = keyTooLong ? -1 : keyLength;
        awaitingValue = true;
        return;
      }
    }
    if (awaitingValue) {
      awaitingValue = false;
      startValue(b);
    }
    switch (b) {
      case '"' -> {
        inString = true;
        keyLength = 0;
        keyTooLong = false;
      }
      case '{', '[' -> depth++;
      case '}', ']' -> {
        if (usageDepth >= 0 && depth == usageDepth) {
          usageDepth = -1;
        }
        depth = Math.max(0, depth - 1);
      }
      default -> {}
    }
  }

  /** The first byte of the value of {@code valueKey}. */
  private void startValue(byte b) {
    if (valueKeyLength < 0) {
      return;
    }
    if (b == '{' && is(USAGE)) {
      usageDepth = depth + 1; // the depth inside the object this byte opens
      usage = true;
    } else if (b >= '0' && b <= '9') {
      Field field = numberField();
      if (field != Field.NONE) {
        number = field;
        numberValue = b - '0';
      }
    } else if (b == '"') {
      readingModel = modelLength < 0 && is(MODEL);
      if (readingModel) {
        modelLength = 0;
      }
      readingContent = !content && isAny(CONTENT_KEYS);
      contentFirstByte = readingContent;
    }
  }

  private Field numberField() {
    if (usageDepth >= 0 && depth == usageDepth) {
      if (isAny(PROMPT_KEYS)) {
        return Field.PROMPT;
      }
      if (isAny(COMPLETION_KEYS)) {
        return Field.COMPLETION;
      }
    }
    if (is(OLLAMA_PROMPT)) {
      return Field.OLLAMA_PROMPT;
    }
    return is(OLLAMA_COMPLETION) ? Field.OLLAMA_COMPLETION : Field.NONE;
  }

  private void endNumber() {
    switch (number) {
      case PROMPT, OLLAMA_PROMPT -> prompt = numberValue;
      case COMPLETION, OLLAMA_COMPLETION -> completion = numberValue;
      default -> {}
    }
    if (number == Field.OLLAMA_PROMPT || number == Field.OLLAMA_COMPLETION) {
      usage = true;
    }
    number = Field.NONE;
  }

  private void readInString(byte b) {
    if (contentFirstByte) {
      contentFirstByte = false;
      if (b != '"') {
        content = true;
      }
      readingContent = false;
    }
    if (escaped) {
      escaped = false;
      keep(b);
      return;
    }
    if (b == '\\') {
      escaped = true;
      keep(b);
      return;
    }
    if (b == '"') {
      inString = false;
      afterString = !readingModel;
      readingModel = false;
      readingContent = false;
      return;
    }
    keep(b);
  }

  private void keep(byte b) {
    if (readingModel) {
      if (modelLength < MAX_MODEL) {
        modelBytes[modelLength++] = b;
      }
      return;
    }
    if (keyLength < MAX_KEY) {
      key[keyLength++] = b;
    } else {
      keyTooLong = true;
    }
  }

  private boolean is(byte[] name) {
    return Arrays.equals(valueKey, 0, valueKeyLength, name, 0, name.length);
  }

  private boolean isAny(byte[][] names) {
    for (byte[] name : names) {
      if (is(name)) {
        return true;
      }
    }
    return false;
  }

  /** Ends the body: a number still being read (a body that ends right after it) counts. */
  public void end() {
    if (!inString && number != Field.NONE) {
      endNumber();
    }
  }

  /** Whether a usage object (or Ollama's counts) has been read. */
  public boolean usage() {
    return usage;
  }

  /** Prompt tokens, or -1 if no usage said. */
  public long promptTokens() {
    return prompt;
  }

  /** Completion tokens, or -1 if no usage said. */
  public long completionTokens() {
    return completion;
  }

  /** Whether generated content has started. */
  public boolean content() {
    return content;
  }

  /** The first model the body named (as read, at most {@value #MAX_MODEL} bytes), or null. */
  public String model() {
    return modelLength < 0 ? null : new String(modelBytes, 0, modelLength, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[][] keys(String... names) {
    return Arrays.stream(names).map(UsageScanner::bytes).toArray(byte[][]::new);
  }
}
