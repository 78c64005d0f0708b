package dev.semlb.classifier.rules;

import dev.semlb.classifier.ClassifierStage;
import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Outcome;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.RequestView;
import java.util.List;

/**
 * The first tier: ordered rules, first match wins. Passes when no rule matches. Immutable and
 * thread-safe.
 */
public final class RulesStage implements ClassifierStage {

  private final List<Rule> rules;

  /** Creates a stage over {@code rules}, evaluated in list order. */
  public RulesStage(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  @Override
  public Stage stage() {
    return Stage.RULES;
  }

  @Override
  public Outcome decide(RequestView request, Deadline deadline) {
    for (Rule rule : rules) {
      if (rule.matches(request)) {
        return Outcome.sure(
            new Decision(
                rule.pool(), rule.confidence(), Stage.RULES, "rule '" + rule.name() + "'"));
      }
    }
    return Outcome.pass();
  }

  /** The rules, in evaluation order. */
  public List<Rule> rules() {
    return rules;
  }
}
