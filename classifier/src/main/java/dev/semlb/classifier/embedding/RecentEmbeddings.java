package dev.semlb.classifier.embedding;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The embedding model with a small memory of the texts it embedded in the last few seconds, so the
 * stages of one pipeline that embed the same request summary (decision head, then the example stage
 * when the head is unsure) pay for one model call, not two. Bounded by entries and time; vectors
 * are shared read-only. Thread-safe.
 */
public final class RecentEmbeddings implements TextEmbedder {

  private final TextEmbedder model;
  private final Cache<String, float[]> recent;

  /**
   * @param model the embedding model
   * @param maxEntries texts remembered, at least 1
   * @param ttl how long a text is remembered
   */
  public RecentEmbeddings(TextEmbedder model, int maxEntries, Duration ttl) {
    this.model = model;
    this.recent = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).build();
  }

  @Override
  public float[] embed(String text) {
    return recent.get(text, model::embed);
  }

  @Override
  public EmbeddingModel model() {
    return model.model();
  }

  /** The vector of {@code text} if it was embedded recently, else null (never calls the model). */
  public float[] peek(String text) {
    return recent.getIfPresent(text);
  }
}
