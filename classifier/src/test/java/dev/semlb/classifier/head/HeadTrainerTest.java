package dev.semlb.classifier.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Outcome;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.embedding.EmbeddingModel;
import dev.semlb.classifier.embedding.ModelQueue;
import dev.semlb.classifier.signals.RequestSignals;
import dev.semlb.classifier.signals.Signal;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training, the model file and the head stage on a small problem with a known answer. */
class HeadTrainerTest {

  private static final List<String> POOLS = List.of("fast-path", "general", "high-compute");
  private static final HeadTrainer.Options SIGNALS_ONLY = new HeadTrainer.Options(1.0, 0, 48);

  @TempDir Path dir;

  private static RequestView get(String path) {
    return RequestView.of("GET", path, Map.of(), BodyView.EMPTY);
  }

  private static RequestView post(String path) {
    return RequestView.of(
        "POST",
        path,
        Map.of(),
        new BodyView(dev.semlb.classifier.view.BodyKind.JSON, "x", null, 300, false));
  }

  /** Reads of one record are fast, writes general, bulk/_search high-compute; three "sources". */
  static List<HeadTrainer.Example> examples() {
    List<HeadTrainer.Example> out = new ArrayList<>();
    String[] sources = {"a", "b", "c"};
    for (int i = 0; i < 30; i++) {
      String s = sources[i % 3];
      out.add(example(get("/things/" + (1000 + i)), "fast-path", s));
      out.add(example(get("/health"), "fast-path", s));
      out.add(example(post("/things"), "general", s));
      out.add(example(post("/things/" + (200 + i) + "/comments"), "general", s));
      out.add(example(post("/things/_bulk"), "high-compute", s));
      out.add(example(post("/reports/export"), "high-compute", s));
    }
    return out;
  }

  /** {@link #examples()} with a two-dimensional embedding that tells the pools apart. */
  private static List<HeadTrainer.Example> withTwoDimensionalVectors() {
    return examples().stream()
        .map(
            e ->
                new HeadTrainer.Example(
                    e.signals(), new float[] {e.pool().length(), 1}, e.pool(), e.source()))
        .toList();
  }

  private static HeadTrainer.Example example(RequestView view, String pool, String source) {
    return new HeadTrainer.Example(RequestSignals.of(view), null, pool, source);
  }

  @Test
  void learnsTheProblem_andIsDeterministic() {
    HeadModel a = HeadTrainer.train(examples(), POOLS, SIGNALS_ONLY);
    HeadModel b = HeadTrainer.train(examples(), POOLS, SIGNALS_ONLY);

    assertThat(a).isEqualTo(b);
    assertThat(a.pools()).isEqualTo(POOLS);
    HeadStage stage =
        new HeadStage(new HeadSettings(Path.of("m.json"), a, 0.5, 0.1), null, ModelQueue.direct());
    Deadline deadline = Deadline.in(Duration.ofSeconds(1));
    assertThat(stage.decide(get("/orders/98765"), deadline).decision().pool())
        .isEqualTo("fast-path");
    assertThat(stage.decide(post("/orders"), deadline).decision().pool()).isEqualTo("general");
    Outcome bulk = stage.decide(post("/orders/_bulk"), deadline);
    assertThat(bulk.decision().pool()).isEqualTo("high-compute");
    assertThat(bulk.decision().stage()).isEqualTo(Stage.HEAD);
    assertThat(bulk.decision().reason()).contains("runner-up").contains("+");
    assertThat(a.temperature()).isPositive();
  }

  @Test
  void probabilitiesSumToOne_andThresholdsMakeItUnsure() {
    HeadModel model = HeadTrainer.train(examples(), POOLS, SIGNALS_ONLY);
    double[] p = model.probabilities(model.standardize(RequestSignals.of(get("/x/12345")), null));
    assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));

    HeadStage strict =
        new HeadStage(
            new HeadSettings(Path.of("m.json"), model, 1.0, 0), null, ModelQueue.direct());
    Outcome outcome = strict.decide(get("/x/12345"), Deadline.in(Duration.ofSeconds(1)));
    assertThat(outcome.sure()).isFalse();
    assertThat(outcome.decision()).isNotNull();
  }

  @Test
  void fileRoundTrip_keepsPredictions() throws Exception {
    HeadModel model = HeadTrainer.train(examples(), POOLS, SIGNALS_ONLY);
    Path file = dir.resolve("head.json");
    HeadModelFile.write(model, file);
    HeadModel read = HeadModelFile.read(file);
    String first = Files.readString(file);
    HeadModelFile.write(read, file);

    assertThat(Files.readString(file)).isEqualTo(first);
    double[] x = RequestSignals.of(post("/things/_bulk"));
    assertThat(read.probabilities(read.standardize(x, null)))
        .containsExactly(
            model.probabilities(model.standardize(x, null)),
            org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void invalidFiles_areRejectedWithTheField() throws Exception {
    HeadModel model = HeadTrainer.train(examples(), POOLS, SIGNALS_ONLY);
    Path file = dir.resolve("head.json");
    HeadModelFile.write(model, file);
    String good = Files.readString(file);

    assertRejected(good.replace("\"semlb-head\"", "\"other\""), "format: 'other'");
    assertRejected(good.replace("\"version\" : 1", "\"version\" : 9"), "version: 9");
    assertRejected(good.replace("\"METHOD_GET\"", "\"SOMETHING_ELSE\""), "retrain the head");
    assertRejected(good.replaceFirst("\"bias\" : \\[ [^,]+,", "\"bias\" : [ \"x\","), "bias[0]");
    assertRejected(
        good.replaceFirst("\"temperature\" : [0-9.]+", "\"temperature\" : -1"), "temperature: -1");
    assertRejected("[]", "not a JSON object");
    assertRejected("{", "cannot read");
  }

  private void assertRejected(String content, String message) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, content);
    assertThatThrownBy(() -> HeadModelFile.read(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining(message);
  }

  @Test
  void needsTwoPools_andKnownPools() {
    List<HeadTrainer.Example> one =
        examples().stream().filter(e -> e.pool().equals("general")).toList();
    assertThatThrownBy(() -> HeadTrainer.train(one, POOLS, SIGNALS_ONLY))
        .hasMessageContaining("at least 2");
    assertThatThrownBy(
            () -> HeadTrainer.train(examples(), List.of("fast-path", "general"), SIGNALS_ONLY))
        .hasMessageContaining("'high-compute'");
    assertThatThrownBy(() -> new HeadTrainer.Options(0, 0, 48)).hasMessageContaining("c: 0");
  }

  @Test
  void embeddingModel_needsAnEmbedder_andALateEmbeddingIsNeverSure() {
    List<HeadTrainer.Example> withVectors = withTwoDimensionalVectors();
    HeadModel model = HeadTrainer.train(withVectors, POOLS, new HeadTrainer.Options(1, 2, 48));
    HeadSettings settings = new HeadSettings(Path.of("m.json"), model, 0, 0);

    assertThatThrownBy(() -> new HeadStage(settings, null, ModelQueue.direct()))
        .hasMessageContaining("embedding model");
    HeadStage refused =
        new HeadStage(
            settings,
            text -> new float[] {1, 0},
            ModelQueue.over(
                task -> {
                  throw new java.util.concurrent.RejectedExecutionException("full");
                }));
    Outcome outcome = refused.decide(get("/health"), Deadline.in(Duration.ofSeconds(1)));
    assertThat(outcome.sure()).isFalse();
    assertThat(outcome.decision().reason()).contains("signals only");
    assertThat(Signal.SCHEMA).hasSize(Signal.values().length);
  }

  @Test
  void excludedSignals_getNoWeight_andAreRecorded() {
    HeadTrainer.Options options =
        new HeadTrainer.Options(1.0, 0, 48, 1.0, false, java.util.Set.of(Signal.WORD_BULK));
    HeadModel model = HeadTrainer.train(examples(), POOLS, options);

    int bulk = Signal.WORD_BULK.ordinal();
    for (double[] row : model.weights()) {
      assertThat(row[bulk]).isZero();
    }
    HeadModel all = HeadTrainer.train(examples(), POOLS, SIGNALS_ONLY);
    assertThat(java.util.Arrays.stream(all.weights()).mapToDouble(r -> Math.abs(r[bulk])).sum())
        .as("the signal matters when it is not excluded")
        .isPositive();
    assertThat(model.training().get("excludedSignals")).isEqualTo(List.of("WORD_BULK"));
  }

  @Test
  void recordedOptions_surviveTheFile() throws Exception {
    HeadTrainer.Options options =
        new HeadTrainer.Options(0.3, 0, 48, 1.0, true, java.util.Set.of(Signal.WORD_BULK));
    Path file = dir.resolve("head.json");
    HeadModelFile.write(HeadTrainer.train(examples(), POOLS, options), file);

    assertThat(HeadTrainer.Options.recordedIn(HeadModelFile.read(file))).isEqualTo(options);
  }

  @Test
  void balancedSources_repeatSmallSources_toTheLargestSize() {
    List<HeadTrainer.Example> mixed = new ArrayList<>(examples()); // 60 per source a, b, c
    mixed.add(example(get("/health"), "fast-path", "tiny"));
    mixed.add(example(post("/things"), "general", "tiny"));
    mixed.add(example(post("/things/_bulk"), "high-compute", "small"));

    List<HeadTrainer.Example> balanced = HeadTrainer.balanced(mixed);

    Map<String, Long> sizes =
        balanced.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    HeadTrainer.Example::source, java.util.stream.Collectors.counting()));
    assertThat(sizes)
        .containsEntry("a", 60L)
        .containsEntry("tiny", 60L)
        .containsEntry("small", 60L);
    HeadModel model =
        HeadTrainer.train(
            mixed, POOLS, new HeadTrainer.Options(1.0, 0, 48, 1.0, true, java.util.Set.of()));
    assertThat(model.training().get("balanceSources")).isEqualTo(true);
    assertThat(model.training().get("examples")).isEqualTo(mixed.size());
  }

  @Test
  void embeddingBlock_hasOneScale_soItsGeometryIsKept() {
    List<HeadTrainer.Example> withVectors = new ArrayList<>();
    List<HeadTrainer.Example> plain = examples();
    for (int i = 0; i < plain.size(); i++) {
      HeadTrainer.Example e = plain.get(i);
      // dimension 0 varies 100 times more than dimension 1
      float[] v = {e.pool().length() * 10f + i % 3, (i % 2) / 10f};
      withVectors.add(new HeadTrainer.Example(e.signals(), v, e.pool(), e.source()));
    }
    HeadModel model = HeadTrainer.train(withVectors, POOLS, new HeadTrainer.Options(1, 2, 48, 0.5));

    int first = Signal.values().length;
    assertThat(model.scale()[first]).isEqualTo(model.scale()[first + 1]);
  }

  @Test
  void aHeadWithAnEmbedding_namesItsEmbeddingModel_andAnUnknownOneIsRefused() throws Exception {
    List<HeadTrainer.Example> withVectors = withTwoDimensionalVectors();
    HeadModel trained = HeadTrainer.train(withVectors, POOLS, new HeadTrainer.Options(1, 2, 48));
    Path file = dir.resolve("head.json");
    assertThatThrownBy(() -> HeadModelFile.write(trained, file))
        .hasMessageContaining("embeddingModel: missing");

    HeadModel model = trained.withEmbeddingModel(EmbeddingModel.ALL_MINILM_L6_V2_Q.id());
    HeadModelFile.write(model, file);
    String good = Files.readString(file);

    assertThat(good).contains("\"embeddingModel\" : \"all-minilm-l6-v2-q\"");
    assertThat(HeadModelFile.read(file).embeddingDim()).isEqualTo(2);
    assertThat(HeadModelFile.read(file).embeddingModel()).isEqualTo("all-minilm-l6-v2-q");
    assertRejected(
        good.replace("\"all-minilm-l6-v2-q\"", "\"bge-small-en-v1.5\""),
        "embeddingModel: 'bge-small-en-v1.5' (expected: one of e5-small-v2-q, all-minilm-l6-v2-q");
    assertRejected(good.replaceFirst("\"embeddingModel\" : \"[^\"]+\",", ""), "embeddingModel: ''");
  }
}
