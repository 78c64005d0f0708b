package dev.semlb.classifier.embedding;

/**
 * Turns text into a unit-length vector whose dot product with another is their cosine similarity.
 * Implementations must be thread-safe.
 */
public interface TextEmbedder {

  /** The unit-length embedding of {@code text}. */
  float[] embed(String text);

  /** Which shipped model this runs, or null when it is none of them (e.g. a test's embedder). */
  default EmbeddingModel model() {
    return null;
  }
}
