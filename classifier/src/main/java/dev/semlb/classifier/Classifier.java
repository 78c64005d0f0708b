package dev.semlb.classifier;

import dev.semlb.classifier.view.RequestView;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Labels a request with the pool that should serve it.
 *
 * <p>Implementations must be thread-safe, must not throw for any request (a failure
 * becomes a {@link Stage#DEFAULT} decision), and must never return {@code null}.
 */
@FunctionalInterface
public interface Classifier {

  /** Classifies one request on the calling thread. */
  Decision classify(RequestView request);

  /**
   * Classifies one request without blocking the caller on slow work: cheap decisions may be
   * made on the calling thread, anything slow runs on {@code slow}. The default runs all of
   * it on {@code slow}. The future always completes with a decision, never exceptionally.
   */
  default CompletableFuture<Decision> classifyAsync(RequestView request, Executor slow) {
    try {
      return CompletableFuture.supplyAsync(() -> classify(request), slow);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
