package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.e2e.support.CorpusScore;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipped default config, as a new user gets it, on APIs it was never trained on: {@code
 * eval/public/api-heldout.jsonl} (seven public APIs kept out of training and out of signal choices)
 * sent through the real Envoy. Guards the generalization figure in the README against regressions.
 */
class HeldOutApisIT {

  private static final Logger log = LoggerFactory.getLogger(HeldOutApisIT.class);

  /**
   * Measured with the shipped config: 86.3% (935 of 1,084) by {@code scripts/eval.sh --data
   * eval/public/api-heldout.jsonl --loso false} (2026-12-08, signals v11; 85.0% with signals v9,
   * 82.5% and 80.1% with earlier example-stage margins and head thresholds); the floor was set at
   * 85.0% less 2.0 points for the classification budget under a loaded machine, and is kept. Below
   * the 88% target, which is not met.
   */
  private static final double FLOOR = 0.83;

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/held-out-apis").build();

  @Test
  void neverTrainedApis_reachTheirPools_throughEnvoy() throws Exception {
    List<LabelledRequest> held =
        WorkloadFile.read(EnvoyProcess.repoRoot().resolve("eval/public/api-heldout.jsonl"));
    assertThat(held).hasSizeGreaterThan(1000);
    assertThat(held).extracting(LabelledRequest::expectedPool).containsAll(SemlbStack.POOLS);
    List<LabelledRequest> trained =
        WorkloadFile.read(EnvoyProcess.repoRoot().resolve("eval/public/api.jsonl"));
    assertThat(held)
        .extracting(LabelledRequest::source)
        .as("no held-out source is in the training corpus")
        .doesNotContainAnyElementsOf(trained.stream().map(LabelledRequest::source).toList());

    Pipeline table = STACK.stack().extProc().routing().get();
    assertThat(table.config().head()).as("the shipped config has its trained head").isNotNull();
    CorpusScore score = CorpusScore.send(STACK.stack(), table, held);
    score.log(log, "held-out APIs");
    CorpusScore.Counts all = score.all();
    assertThat(score.bySource()).hasSize(7);
    assertThat(all.accuracy()).as("accuracy on the held-out APIs").isGreaterThanOrEqualTo(FLOOR);
    assertThat(all.accuracy())
        .as("against the keyword baseline")
        .isGreaterThan(all.baselineAccuracy() + 0.05);
  }
}
