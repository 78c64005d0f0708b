package dev.semlb.worker.llm;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a worker behaves as a demo OpenAI-compatible model server: the model it claims to be, how
 * long until its first token, how fast it generates after that, and how long its replies are.
 * Immutable; validated on construction.
 *
 * @param model the model name reported in {@code model} fields, {@code GET /v1/models} and the
 *     {@code x-served-by-model} header; no whitespace
 * @param tokensPerSecond generation speed after the first token; 0 means no pacing (every token at
 *     once)
 * @param timeToFirstToken time from the start of generation to the first token, at least 0
 * @param replyTokens tokens in a full reply; a request's {@code max_tokens} (or {@code
 *     max_completion_tokens}) can only shorten it. The default is {@value #DEFAULT_REPLY_TOKENS}
 */
public record LlmProfile(
    String model, double tokensPerSecond, Duration timeToFirstToken, int replyTokens) {

  /** Tokens in a full reply unless configured. */
  public static final int DEFAULT_REPLY_TOKENS = 32;

  /** The most tokens a reply may be configured to have. */
  public static final int MAX_REPLY_TOKENS = 100_000;

  private static final Pattern MODEL = Pattern.compile("[^\\s]{1,256}");

  /** Validates the fields. */
  public LlmProfile {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(timeToFirstToken, "timeToFirstToken");
    if (!MODEL.matcher(model).matches()) {
      throw new IllegalArgumentException(
          "model: '" + model + "' (expected: 1-256 characters, no whitespace)");
    }
    if (!(tokensPerSecond >= 0) || Double.isInfinite(tokensPerSecond)) {
      throw new IllegalArgumentException(
          "tokensPerSecond: " + tokensPerSecond + " (expected: a finite number >= 0)");
    }
    if (timeToFirstToken.isNegative()) {
      throw new IllegalArgumentException(
          "timeToFirstToken: " + timeToFirstToken + " (expected: >= 0)");
    }
    if (replyTokens < 1 || replyTokens > MAX_REPLY_TOKENS) {
      throw new IllegalArgumentException(
          "replyTokens: " + replyTokens + " (expected: 1.." + MAX_REPLY_TOKENS + ")");
    }
  }

  /** Nanoseconds from the start of generation until token {@code index} (0-based) is due. */
  long dueNanos(int index) {
    long first = timeToFirstToken.toNanos();
    if (tokensPerSecond == 0 || index == 0) {
      return first;
    }
    return first + (long) (index * 1e9 / tokensPerSecond);
  }
}
