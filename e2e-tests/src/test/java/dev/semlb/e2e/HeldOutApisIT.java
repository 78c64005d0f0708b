package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.eval.Baseline;
import dev.semlb.classifier.eval.Evaluator;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
   * Measured with the shipped head and thresholds: 82.5% by {@code scripts/eval.sh --data
   * eval/public/api-heldout.jsonl --loso false} (2026-12-06; 80.1% with the earlier thresholds);
   * the floor leaves 2.5 points for the classification budget under a loaded machine. Below the
   * issue's 88% target, which is not met.
   */
  private static final double FLOOR = 0.80;

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
    Baseline baseline = Baseline.forPools(table.config().poolNames(), table.config().defaultPool());
    Map<String, int[]> bySource = new TreeMap<>(); // source -> {requests, right, baseline right}
    for (LabelledRequest r : held) {
      Served served = STACK.stack().send(r);
      assertThat(served.status()).as(r.describe()).isEqualTo(200);
      int[] counts = bySource.computeIfAbsent(r.source(), s -> new int[3]);
      counts[0]++;
      counts[1] += r.expectedPool().equals(served.pool()) ? 1 : 0;
      counts[2] += baseline.classify(Evaluator.view(table, r)).equals(r.expectedPool()) ? 1 : 0;
    }
    int right = bySource.values().stream().mapToInt(c -> c[1]).sum();
    int baselineRight = bySource.values().stream().mapToInt(c -> c[2]).sum();
    bySource.forEach(
        (source, c) ->
            log.info(
                "{}: {} requests, {}% to their pool (baseline {}%)",
                source, c[0], percent(c[1], c[0]), percent(c[2], c[0])));
    log.info(
        "held-out APIs: {} requests through Envoy, {}% to their pool (baseline {}%)",
        held.size(), percent(right, held.size()), percent(baselineRight, held.size()));
    assertThat(bySource).hasSize(7);
    double accuracy = (double) right / held.size();
    assertThat(accuracy).as("accuracy on the held-out APIs").isGreaterThanOrEqualTo(FLOOR);
    assertThat(accuracy)
        .as("against the keyword baseline")
        .isGreaterThan((double) baselineRight / held.size() + 0.05);
  }

  private static double percent(int part, int whole) {
    return Math.round(1000.0 * part / whole) / 10.0;
  }
}
