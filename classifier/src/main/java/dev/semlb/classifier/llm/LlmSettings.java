package dev.semlb.classifier.llm;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The optional LLM stage (Ollama). Off unless a base URL is configured, in the routing config or
 * through {@code OLLAMA_BASE_URL}. Immutable.
 *
 * @param baseUrl the Ollama server, e.g. {@code http://localhost:11434}; null when off
 * @param model the model name. The default is {@code mistral}
 * @param timeout how long one answer may take (the pipeline budget may cut it shorter)
 * @param minConfidence answers below this confidence are not trusted, in [0, 1]
 * @param maxPromptChars request text sent to the model, at most
 */
public record LlmSettings(
    URI baseUrl, String model, Duration timeout, double minConfidence, int maxPromptChars) {

  /** The stage is off. */
  public static final LlmSettings OFF =
      new LlmSettings(null, "mistral", Duration.ofSeconds(2), 0.5, 2000);

  /** Validates the fields. */
  public LlmSettings {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(timeout, "timeout");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model: '' (expected: an Ollama model name)");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    if (!(minConfidence >= 0 && minConfidence <= 1)) {
      throw new IllegalArgumentException("minConfidence: " + minConfidence + " (expected: 0..1)");
    }
    if (maxPromptChars < 100) {
      throw new IllegalArgumentException(
          "maxPromptChars: " + maxPromptChars + " (expected: >= 100)");
    }
  }

  /** Whether the stage runs. */
  public boolean enabled() {
    return baseUrl != null;
  }

  /** These settings with another timeout. */
  public LlmSettings withTimeout(Duration newTimeout) {
    return new LlmSettings(baseUrl, model, newTimeout, minConfidence, maxPromptChars);
  }

  /** These settings pointed at {@code url} with {@code modelName} (blank keeps the model). */
  public LlmSettings at(URI url, String modelName) {
    return new LlmSettings(
        url,
        modelName == null || modelName.isBlank() ? model : modelName,
        timeout,
        minConfidence,
        maxPromptChars);
  }
}
