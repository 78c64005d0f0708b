package dev.semlb.classifier.embedding;

import dev.semlb.classifier.Deadline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One model call on the bounded inference executor, bounded by a deadline. The stages that embed a
 * request (example similarity, decision head) share it. Stateless.
 *
 * <p>No thread waits for the call: the future completes with the vector, or with null when the
 * executor refused the call or the deadline passed first. A call still queued when the deadline has
 * passed is not run at all (a running model call cannot be stopped, so this is where the work for
 * expired requests is saved).
 */
public final class EmbeddingCall {

  private EmbeddingCall() {}

  /** The embedding of {@code text}, or null; a model failure completes the future exceptionally. */
  public static CompletableFuture<float[]> async(
      TextEmbedder embedder, String text, Executor inference, Deadline deadline) {
    float[] recent = embedder instanceof RecentEmbeddings r ? r.peek(text) : null;
    if (recent != null) {
      // Another stage of this request embedded the same text: no model call, no queueing.
      return CompletableFuture.completedFuture(recent);
    }
    try {
      return CompletableFuture.supplyAsync(
              () -> deadline.expired() ? null : embedder.embed(text), inference)
          .completeOnTimeout(null, Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(null);
    }
  }
}
