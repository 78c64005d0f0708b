package dev.semlb.classifier.config;

import dev.semlb.classifier.cost.CostStats;
import dev.semlb.classifier.embedding.ModelQueue;
import dev.semlb.classifier.embedding.TextEmbedder;
import dev.semlb.classifier.llm.LlmCounters;
import java.util.concurrent.Executor;

/**
 * What the stages need that outlives one routing config: the loaded embedding model (slow to load,
 * so kept across reloads) and the executors that run model inference and LLM calls off the request
 * threads, and the measured costs (learned from traffic, so kept across reloads). Immutable.
 *
 * @param embedder the embedding model, or null to run without the embedding stage
 * @param inference where model inference runs: bounded, sized to the cores, with admission control
 * @param llm bounded executor for blocking calls to an LLM server
 * @param llmCounters totals of LLM calls, kept across reloads (exported as metrics)
 * @param costs measured upstream cost per request shape, read by the measured stage
 */
public record ClassifierResources(
    TextEmbedder embedder,
    ModelQueue inference,
    Executor llm,
    LlmCounters llmCounters,
    CostStats costs) {

  /** Checks the fields that must be there. */
  public ClassifierResources {
    java.util.Objects.requireNonNull(inference, "inference");
    java.util.Objects.requireNonNull(llmCounters, "llmCounters");
    java.util.Objects.requireNonNull(costs, "costs");
  }

  /**
   * Resources with fresh LLM totals and no measured costs yet, running model calls on {@code
   * inference} as they come (no admission control: tests and offline evaluation).
   */
  public ClassifierResources(TextEmbedder embedder, Executor inference, Executor llm) {
    this(embedder, ModelQueue.over(inference), llm, new LlmCounters(), new CostStats());
  }

  /** No models: rules and the default pool only. */
  public static final ClassifierResources NONE =
      new ClassifierResources(null, Runnable::run, Runnable::run);
}
