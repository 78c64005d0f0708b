package dev.semlb.classifier;

import dev.semlb.classifier.view.RequestView;

/**
 * Labels a request with the pool that should serve it.
 *
 * <p>Implementations must be thread-safe, must not throw for any request (a failure
 * becomes a {@link Stage#DEFAULT} decision), and must never return {@code null}.
 */
@FunctionalInterface
public interface Classifier {

  /** Classifies one request. */
  Decision classify(RequestView request);
}
