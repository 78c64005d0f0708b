package dev.semlb.classifier;

import java.util.Objects;

/**
 * What one stage made of a request: a sure decision (the pipeline stops here), an unsure candidate
 * (the pipeline goes on, but may fall back to it if time runs out), or a pass. Immutable.
 *
 * @param decision the decision or candidate, null for a pass
 * @param sure whether the stage is sure enough to decide
 */
public record Outcome(Decision decision, boolean sure) {

  private static final Outcome PASS = new Outcome(null, false);

  /** Checks that a sure outcome carries a decision. */
  public Outcome {
    if (sure) {
      Objects.requireNonNull(decision, "decision");
    }
  }

  /** The stage decides. */
  public static Outcome sure(Decision decision) {
    return new Outcome(decision, true);
  }

  /** The stage has a best guess but is not sure enough to decide. */
  public static Outcome unsure(Decision candidate) {
    return new Outcome(Objects.requireNonNull(candidate, "candidate"), false);
  }

  /** The stage has nothing to say. */
  public static Outcome pass() {
    return PASS;
  }
}
