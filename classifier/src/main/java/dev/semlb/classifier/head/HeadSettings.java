package dev.semlb.classifier.head;

import java.nio.file.Path;

/**
 * The decision head's settings from {@code routing.yaml}: the model file it names (loaded and
 * validated with the config, so an invalid model rejects the whole reload) and when the head is
 * sure. Immutable.
 *
 * @param modelFile the model file, resolved against the config file's folder; null when off
 * @param model the loaded model; null when off
 * @param minProbability the best pool's probability must reach this, in [0, 1]
 * @param margin and beat the runner-up's by this much, in [0, 1]
 */
public record HeadSettings(Path modelFile, HeadModel model, double minProbability, double margin) {

  /** No head. */
  public static final HeadSettings OFF = new HeadSettings(null, null, 0, 0);

  /** Validates the fields. */
  public HeadSettings {
    if ((modelFile == null) != (model == null)) {
      throw new IllegalArgumentException("modelFile and model: both or neither");
    }
    if (!(minProbability >= 0 && minProbability <= 1)) {
      throw new IllegalArgumentException("minProbability: " + minProbability + " (expected: 0..1)");
    }
    if (!(margin >= 0 && margin <= 1)) {
      throw new IllegalArgumentException("margin: " + margin + " (expected: 0..1)");
    }
  }

  /** Whether a head model is configured. */
  public boolean enabled() {
    return model != null;
  }

  /** These settings with another model (e.g. one trained by {@code eval}). */
  public HeadSettings withModel(Path file, HeadModel other) {
    return new HeadSettings(file, other, minProbability, margin);
  }

  /** These settings with other thresholds. */
  public HeadSettings withThresholds(double minProbability, double margin) {
    return new HeadSettings(modelFile, model, minProbability, margin);
  }
}
