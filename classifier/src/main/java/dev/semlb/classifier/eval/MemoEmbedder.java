package dev.semlb.classifier.eval;

import dev.semlb.classifier.embedding.EmbeddingModel;
import dev.semlb.classifier.embedding.TextEmbedder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An embedder that remembers every text it embedded, so an evaluation that trains and tests many
 * times (leave-one-source-out) pays for each text once. Unbounded: for offline commands only.
 * Thread-safe.
 */
public final class MemoEmbedder implements TextEmbedder {

  private final TextEmbedder model;
  private final Map<String, float[]> seen = new ConcurrentHashMap<>();

  /** Wraps {@code model}. */
  public MemoEmbedder(TextEmbedder model) {
    this.model = model;
  }

  @Override
  public float[] embed(String text) {
    return seen.computeIfAbsent(text, model::embed);
  }

  @Override
  public EmbeddingModel model() {
    return model.model();
  }
}
