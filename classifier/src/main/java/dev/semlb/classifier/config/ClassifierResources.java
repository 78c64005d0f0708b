package dev.semlb.classifier.config;

import dev.semlb.classifier.embedding.TextEmbedder;
import dev.semlb.classifier.llm.LlmCounters;
import java.util.concurrent.Executor;

/**
 * What the stages need that outlives one routing config: the loaded embedding model (slow
 * to load, so kept across reloads) and the executors that run model inference and LLM
 * calls off the request threads. Immutable.
 *
 * @param embedder the embedding model, or null to run without the embedding stage
 * @param inference bounded executor for model inference, sized to the cores
 * @param io bounded executor for blocking calls to an LLM server
 * @param llmCounters totals of LLM calls, kept across reloads (exported as metrics)
 */
public record ClassifierResources(TextEmbedder embedder, Executor inference, Executor io, LlmCounters llmCounters) {

  /** Resources with fresh LLM totals. */
  public ClassifierResources(TextEmbedder embedder, Executor inference, Executor io) {
    this(embedder, inference, io, new LlmCounters());
  }

  /** No models: rules and the default pool only. */
  public static final ClassifierResources NONE = new ClassifierResources(null, Runnable::run, Runnable::run);
}
