package dev.semlb.classifier.embedding;

import java.time.Duration;
import java.util.Objects;

/**
 * How the embedding stage decides. Immutable; validated on construction. The defaults (see {@link
 * #DEFAULTS}) were tuned with the eval command on the shipped datasets.
 *
 * @param enabled whether the stage runs (it also needs pools with examples)
 * @param threshold the best pool's score must reach this, in [0, 1]
 * @param margin and beat the runner-up by this much, in [0, 1], when the request has a body of its
 *     own to compare
 * @param marginWithoutBody the same for a request without a body (or with a GraphQL document, whose
 *     words are field names), in [0, 1]: its summary is its method and path words, which the head's
 *     path signals read already, and near-ties between short path summaries are noise (see
 *     docs/classifier.md)
 * @param neighbors a pool's score is the mean similarity of its this-many nearest examples
 * @param maxWords words of the request summary the model sees
 * @param useDescriptions whether the phrases of each pool's description count as examples too
 * @param maxQueueWait the longest a model call may be expected to wait for the model (admission
 *     control, see {@link ModelQueue}): beyond it, the call is shed and the request decided by the
 *     stages that need no model call, at once
 * @param model the sentence model (also what the head, if any, was trained over); a service loads
 *     it once at start, so a reload naming another model is refused
 */
public record EmbeddingSettings(
    boolean enabled,
    double threshold,
    double margin,
    double marginWithoutBody,
    int neighbors,
    int maxWords,
    boolean useDescriptions,
    Duration maxQueueWait,
    EmbeddingModel model) {

  /** The default {@link #maxQueueWait}. */
  public static final Duration DEFAULT_MAX_QUEUE_WAIT = Duration.ofMillis(20);

  /** The defaults. */
  public static final EmbeddingSettings DEFAULTS =
      new EmbeddingSettings(
          true, 0.20, 0.02, 0.02, 2, 48, true, DEFAULT_MAX_QUEUE_WAIT, EmbeddingModel.DEFAULT);

  /** Settings that use the descriptions too, with the default queue wait, one margin for all. */
  public EmbeddingSettings(
      boolean enabled, double threshold, double margin, int neighbors, int maxWords) {
    this(enabled, threshold, margin, neighbors, maxWords, true, DEFAULT_MAX_QUEUE_WAIT);
  }

  /** Settings with the default model, one margin for requests with a body and without. */
  public EmbeddingSettings(
      boolean enabled,
      double threshold,
      double margin,
      int neighbors,
      int maxWords,
      boolean useDescriptions,
      Duration maxQueueWait) {
    this(
        enabled,
        threshold,
        margin,
        margin,
        neighbors,
        maxWords,
        useDescriptions,
        maxQueueWait,
        EmbeddingModel.DEFAULT);
  }

  /** These settings with another {@link #marginWithoutBody}. */
  public EmbeddingSettings withMarginWithoutBody(double newMargin) {
    return new EmbeddingSettings(
        enabled,
        threshold,
        margin,
        newMargin,
        neighbors,
        maxWords,
        useDescriptions,
        maxQueueWait,
        model);
  }

  /** These settings with the stage switched off. */
  public EmbeddingSettings disabled() {
    return new EmbeddingSettings(
        false,
        threshold,
        margin,
        marginWithoutBody,
        neighbors,
        maxWords,
        useDescriptions,
        maxQueueWait,
        model);
  }

  /** Validates the fields. */
  public EmbeddingSettings {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold: " + threshold + " (expected: 0..1)");
    }
    if (!(margin >= 0 && margin <= 1)) {
      throw new IllegalArgumentException("margin: " + margin + " (expected: 0..1)");
    }
    if (!(marginWithoutBody >= 0 && marginWithoutBody <= 1)) {
      throw new IllegalArgumentException(
          "marginWithoutBody: " + marginWithoutBody + " (expected: 0..1)");
    }
    if (neighbors < 1) {
      throw new IllegalArgumentException("neighbors: " + neighbors + " (expected: >= 1)");
    }
    if (maxWords < 4) {
      throw new IllegalArgumentException("maxWords: " + maxWords + " (expected: >= 4)");
    }
    Objects.requireNonNull(maxQueueWait, "maxQueueWait");
    Objects.requireNonNull(model, "model");
    if (maxQueueWait.isNegative()) {
      throw new IllegalArgumentException("maxQueueWait: " + maxQueueWait + " (expected: >= 0)");
    }
  }
}
