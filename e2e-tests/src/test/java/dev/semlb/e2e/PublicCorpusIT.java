package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.embedding.OnnxEmbedder;
import dev.semlb.classifier.eval.HeadExamples;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.classifier.head.HeadModel;
import dev.semlb.classifier.head.HeadModelFile;
import dev.semlb.classifier.head.HeadTrainer;
import dev.semlb.e2e.support.CorpusScore;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new user's API through the real Envoy: the decision head is retrained without one public source
 * (OpenSearch's REST tests, {@code eval/public/api.jsonl}), the new model file is picked up live by
 * the running service, and that source's requests are sent through Envoy. They must reach their
 * labelled pools well above the keyword baseline measured on the same requests.
 */
class PublicCorpusIT {

  private static final Logger log = LoggerFactory.getLogger(PublicCorpusIT.class);

  /** The held-back source; its requests appear nowhere in the training data. */
  private static final String HELD_BACK = "os-yaml-tests";

  /**
   * Accuracy the held-back source must reach through Envoy: a guard on the measured figure, two
   * requests under it (168 of 197). The target for API requests held out by source is 88%;
   * this source met it with signals v10 and 21 training APIs (89.3% offline and through Envoy) and
   * misses it since signals v11 and the two RPC training sources (87.8%, 2026-12-07), and reads
   * 86.3% (170 of 197) since the four model-serving training sources of the seventh round, which
   * raised the other model-serving APIs left out by source (KServe 78.6% to 92.9%, MLServer 77.0%
   * to 88.5%). A head trained on those sources read 86.1% on the held-out test set of 7 APIs, the
   * shipped one 86.3%; that head was not shipped (it sent binary uploads to high-compute): see
   * docs/classifier.md, seventh round. The corpus as a whole does not meet the target either.
   */
  private static final double FLOOR = 0.855;

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/public-corpus").build();

  @Test
  void heldBackSource_reachesItsPools_throughEnvoy() throws Exception {
    Path root = EnvoyProcess.repoRoot();
    List<LabelledRequest> corpus = WorkloadFile.read(root.resolve("eval/public/api.jsonl"));
    List<LabelledRequest> held = corpus.stream().filter(c -> c.source().equals(HELD_BACK)).toList();
    List<LabelledRequest> training =
        new ArrayList<>(corpus.stream().filter(c -> !c.source().equals(HELD_BACK)).toList());
    training.addAll(WorkloadFile.read(root.resolve("config/eval/default-cases.jsonl")));
    assertThat(held).hasSizeGreaterThan(100);
    assertThat(held).extracting(LabelledRequest::expectedPool).containsAll(SemlbStack.POOLS);

    Pipeline table = STACK.stack().extProc().routing().get();
    // Trained as the shipped head was (its file records the settings), only without the held-back
    // source.
    HeadTrainer.Options options = HeadTrainer.Options.recordedIn(table.config().head().model());
    assertThat(options.embeddingDim()).isEqualTo(OnnxEmbedder.DIMENSIONS);
    HeadModel model =
        HeadTrainer.train(
                HeadExamples.of(
                    table,
                    training,
                    OnnxEmbedder.load(table.config().embedding().model()),
                    options.maxWords()),
                table.config().poolNames(),
                options)
            .withEmbeddingModel(table.config().embedding().model().id());
    long version = STACK.stack().extProc().routing().version();
    Path modelFile = STACK.stack().routingFile().resolveSibling("routing-head.json");
    HeadModelFile.write(model, modelFile);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (STACK.stack().extProc().routing().version() == version && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(STACK.stack().extProc().routing().version())
        .as("the retrained head is loaded live")
        .isGreaterThan(version);
    assertThat(STACK.stack().extProc().routing().get().config().head().model())
        .isEqualTo(HeadModelFile.read(modelFile));

    CorpusScore.Counts score = CorpusScore.send(STACK.stack(), table, held).all();
    double accuracy = score.accuracy();
    double baselineAccuracy = score.baselineAccuracy();
    log.info(
        "held-back source {}: {} requests through Envoy, {}% to their pool (baseline {}%)",
        HELD_BACK, held.size(), score.percent(), score.baselinePercent());
    assertThat(accuracy).as("accuracy on the held-back source").isGreaterThanOrEqualTo(FLOOR);
    assertThat(accuracy).as("against the keyword baseline").isGreaterThan(baselineAccuracy + 0.1);
  }
}
