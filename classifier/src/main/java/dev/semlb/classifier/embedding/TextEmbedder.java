package dev.semlb.classifier.embedding;

/**
 * Turns text into a unit-length vector whose dot product with another is their cosine similarity.
 * Implementations must be thread-safe.
 */
public interface TextEmbedder {

  /** The unit-length embedding of {@code text}. */
  float[] embed(String text);
}
