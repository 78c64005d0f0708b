package dev.semlb.classifier.embedding;

import dev.semlb.classifier.Deadline;
import java.util.concurrent.CompletableFuture;

/**
 * One model call on the {@link ModelQueue}, bounded by a deadline. The stages that embed a request
 * (example similarity, decision head) share it. Stateless.
 *
 * <p>No thread waits for the call: the future completes with the vector, or with null when the
 * queue shed the call (it could not finish in time, the queue was full, or its deadline passed
 * while it waited: a running model call cannot be stopped, so that is where the work for expired
 * requests is saved) or the deadline passed first.
 */
public final class EmbeddingCall {

  private EmbeddingCall() {}

  /** The embedding of {@code text}, or null; a model failure completes the future exceptionally. */
  public static CompletableFuture<float[]> async(
      TextEmbedder embedder, String text, ModelQueue inference, Deadline deadline) {
    float[] recent = embedder instanceof RecentEmbeddings r ? r.peek(text) : null;
    if (recent != null) {
      // Another stage of this request embedded the same text: no model call, no queueing.
      return CompletableFuture.completedFuture(recent);
    }
    return inference.submit(() -> embedder.embed(text), deadline);
  }
}
