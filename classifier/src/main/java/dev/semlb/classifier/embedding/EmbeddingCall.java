package dev.semlb.classifier.embedding;

import dev.semlb.classifier.Deadline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One model call on the bounded inference executor, awaited only until a deadline. The
 * stages that embed a request (example similarity, decision head) share it. Stateless.
 */
public final class EmbeddingCall {

  private EmbeddingCall() {}

  /**
   * The embedding of {@code text}, or null when the executor refused the call or the deadline
   * passed first. A model failure is thrown as {@link IllegalStateException}.
   */
  public static float[] within(TextEmbedder embedder, String text, Executor inference, Deadline deadline) {
    try {
      return CompletableFuture.supplyAsync(() -> embedder.embed(text), inference)
          .get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | RejectedExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException("embedding failed", e.getCause());
    }
  }
}
