package dev.semlb.classifier.rules;

import dev.semlb.classifier.view.RequestView;
import java.util.Objects;

/**
 * One routing rule: when {@code match} holds, the request goes to {@code pool}. Immutable.
 *
 * @param name unique name, used in decision reasons
 * @param pool the pool the rule routes to
 * @param confidence the confidence reported for decisions by this rule, in {@code [0, 1]}
 * @param match the conditions
 */
public record Rule(String name, String pool, double confidence, Match match) {

  /** Checks the fields. */
  public Rule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(match, "match");
    if (!(confidence >= 0.0 && confidence <= 1.0)) {
      throw new IllegalArgumentException(
          "confidence: " + confidence + " (expected: 0 <= confidence <= 1)");
    }
  }

  /** Whether this rule applies to {@code request}. */
  public boolean matches(RequestView request) {
    return match.matches(request);
  }
}
