package dev.semlb.classifier;

import dev.semlb.classifier.view.RequestView;
import java.util.concurrent.CompletableFuture;

/**
 * Labels a request with the pool that should serve it.
 *
 * <p>Implementations must be thread-safe, must not throw for any request (a failure becomes a
 * {@link Stage#DEFAULT} decision), and must never return {@code null}.
 */
@FunctionalInterface
public interface Classifier {

  /** Classifies one request, waiting for the result on the calling thread. */
  Decision classify(RequestView request);

  /**
   * Classifies one request without blocking the caller on slow work: cheap decisions are made on
   * the calling thread and model calls run on the stages' own bounded executors. The future always
   * completes with a decision, never exceptionally. The default classifies on the calling thread.
   */
  default CompletableFuture<Decision> classifyAsync(RequestView request) {
    return CompletableFuture.completedFuture(classify(request));
  }
}
