package dev.semlb.classifier.eval;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.embedding.EmbeddingSettings;
import dev.semlb.classifier.head.HeadModel;
import dev.semlb.classifier.head.HeadSettings;
import dev.semlb.classifier.head.HeadTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Accuracy by source: the config as it is, leave-one-source-out (the head retrained without the
 * source, then tested on it: what a new user's API looks like) and the naive {@link Baseline}, side
 * by side. Stateless.
 */
public final class SourceEvaluation {

  /** One source's accuracies; {@code loso} is NaN when the config has no head to retrain. */
  public record Row(String source, int cases, double config, double loso, double baseline) {}

  /**
   * Everything one run measured.
   *
   * @param rows one per source, by name
   * @param all the config on every case
   * @param loso every case classified by the head trained without its source, or null
   * @param baseline the baseline's accuracy on every case
   * @param baselineName what the baseline is
   */
  public record Result(
      List<Row> rows, EvalReport all, EvalReport loso, double baseline, String baselineName) {}

  private SourceEvaluation() {}

  /**
   * Runs all three.
   *
   * @param training how to retrain the head per held-out source; null to skip leave-one-source-out
   * @param resources the embedder inside should remember texts ({@link MemoEmbedder})
   */
  public static Result run(
      RoutingConfig config,
      ClassifierResources resources,
      List<LabelledRequest> cases,
      HeadTrainer.Options training) {
    Pipeline table = Pipeline.build(config, resources);
    EvalReport all = Evaluator.run(table, cases);
    Baseline baseline = Baseline.forPools(config.poolNames(), config.defaultPool());
    Map<String, List<Integer>> bySource = new TreeMap<>();
    for (int i = 0; i < cases.size(); i++) {
      bySource.computeIfAbsent(source(cases.get(i)), k -> new ArrayList<>()).add(i);
    }
    Map<String, EvalReport> held =
        training == null ? Map.of() : leaveOneOut(config, resources, cases, bySource, training);
    List<Row> rows = new ArrayList<>();
    List<Evaluator.Result> losoResults = new ArrayList<>();
    int baselineRight = 0;
    for (Map.Entry<String, List<Integer>> e : bySource.entrySet()) {
      int right = 0;
      int baseRight = 0;
      for (int i : e.getValue()) {
        right += all.results().get(i).correct() ? 1 : 0;
        LabelledRequest c = cases.get(i);
        baseRight += baseline.classify(Evaluator.view(table, c)).equals(c.expectedPool()) ? 1 : 0;
      }
      baselineRight += baseRight;
      EvalReport h = held.get(e.getKey());
      if (h != null) {
        losoResults.addAll(h.results());
      }
      int n = e.getValue().size();
      rows.add(
          new Row(
              e.getKey(),
              n,
              (double) right / n,
              h == null ? Double.NaN : h.accuracy(),
              (double) baseRight / n));
    }
    EvalReport loso = held.isEmpty() ? null : new EvalReport(config.poolNames(), losoResults);
    return new Result(
        rows,
        all,
        loso,
        cases.isEmpty() ? 0 : (double) baselineRight / cases.size(),
        baseline.name());
  }

  /** Per source: the head trained on every other source, tested on this one. */
  static Map<String, EvalReport> leaveOneOut(
      RoutingConfig config,
      ClassifierResources resources,
      List<LabelledRequest> cases,
      Map<String, List<Integer>> bySource,
      HeadTrainer.Options training) {
    Map<String, HeadModel> models = foldModels(config, resources, cases, bySource, training);
    return evaluateFolds(
        config,
        resources,
        cases,
        bySource,
        models,
        config.head().enabled() ? config.head() : HeadSettings.OFF);
  }

  /**
   * The head trained without each source (sources whose rest has fewer than two pools are skipped).
   */
  static Map<String, HeadModel> foldModels(
      RoutingConfig config,
      ClassifierResources resources,
      List<LabelledRequest> cases,
      Map<String, List<Integer>> bySource,
      HeadTrainer.Options training) {
    Map<String, HeadModel> models = new LinkedHashMap<>();
    if (bySource.size() < 2) {
      return models;
    }
    Pipeline viewTable = Pipeline.build(config.withoutRules().withHead(HeadSettings.OFF));
    List<HeadTrainer.Example> examples =
        HeadExamples.of(
            viewTable,
            cases,
            training.embeddingDim() > 0 ? resources.embedder() : null,
            training.maxWords());
    for (Map.Entry<String, List<Integer>> e : bySource.entrySet()) {
      Set<Integer> test = new HashSet<>(e.getValue());
      List<HeadTrainer.Example> train = new ArrayList<>();
      for (int i = 0; i < examples.size(); i++) {
        if (!test.contains(i)) {
          train.add(examples.get(i));
        }
      }
      try {
        models.put(e.getKey(), HeadTrainer.train(train, config.poolNames(), training));
      } catch (IllegalArgumentException tooFewPools) {
        // nothing to learn from without this source
      }
    }
    return models;
  }

  /** Each source classified by the config with its fold's head and the given thresholds. */
  static Map<String, EvalReport> evaluateFolds(
      RoutingConfig config,
      ClassifierResources resources,
      List<LabelledRequest> cases,
      Map<String, List<Integer>> bySource,
      Map<String, HeadModel> models,
      HeadSettings thresholds) {
    Map<String, EvalReport> out = new LinkedHashMap<>();
    models.forEach(
        (source, model) -> {
          RoutingConfig fold =
              config.withHead(thresholds.withModel(Path.of("trained-without-" + source), model));
          List<LabelledRequest> testCases = bySource.get(source).stream().map(cases::get).toList();
          out.put(source, Evaluator.run(Pipeline.build(fold, resources), testCases));
        });
    return out;
  }

  /**
   * One setting's leave-one-source-out accuracy: the head's thresholds and the example stage that
   * asks when the head is unsure ({@code embedding}; switched off when not {@code enabled}).
   */
  public record Fit(
      double minProbability,
      double margin,
      EmbeddingSettings embedding,
      double accuracy,
      double macroAccuracy) {}

  /**
   * Leave-one-source-out accuracy for each {@code embedding} x {@code minProbability} x {@code
   * margin} (an unsure head passes to the example stage, then the default pool), best first.
   */
  public static List<Fit> fit(
      RoutingConfig config,
      ClassifierResources resources,
      List<LabelledRequest> cases,
      HeadTrainer.Options training,
      List<EmbeddingSettings> embeddings,
      double[] minProbabilities,
      double[] margins) {
    Map<String, List<Integer>> bySource = new TreeMap<>();
    for (int i = 0; i < cases.size(); i++) {
      bySource.computeIfAbsent(source(cases.get(i)), k -> new ArrayList<>()).add(i);
    }
    Map<String, HeadModel> models = foldModels(config, resources, cases, bySource, training);
    List<Fit> fits = new ArrayList<>();
    for (EmbeddingSettings embedding : embeddings) {
      RoutingConfig variant = config.withEmbedding(embedding);
      for (double p : minProbabilities) {
        for (double m : margins) {
          Map<String, EvalReport> reports =
              evaluateFolds(
                  variant, resources, cases, bySource, models, new HeadSettings(null, null, p, m));
          long right =
              reports.values().stream()
                  .flatMap(r -> r.results().stream())
                  .filter(Evaluator.Result::correct)
                  .count();
          long total = reports.values().stream().mapToLong(r -> r.results().size()).sum();
          double macro =
              reports.values().stream().mapToDouble(EvalReport::accuracy).average().orElse(0);
          fits.add(new Fit(p, m, embedding, total == 0 ? 0 : (double) right / total, macro));
        }
      }
    }
    fits.sort((a, b) -> Double.compare(b.macroAccuracy(), a.macroAccuracy()));
    return fits;
  }

  private static String source(LabelledRequest c) {
    return c.source().isEmpty() ? "(no source)" : c.source();
  }

  /** The by-source table; with {@code showErrors} the leave-one-source-out misroutes too. */
  public static String format(Result r, boolean showErrors) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nby source (config: as loaded; LOSO: head retrained without the source;"
                + " baseline: %s)%n",
            r.baselineName()));
    out.append(
        String.format(
            Locale.ROOT,
            "%-34s %6s %8s %8s %9s%n",
            "source",
            "cases",
            "config",
            "LOSO",
            "baseline"));
    for (Row row : r.rows()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-34s %6d %7.1f%% %8s %8.1f%%%s%n",
              row.source(),
              row.cases(),
              100 * row.config(),
              Double.isNaN(row.loso())
                  ? "-"
                  : String.format(Locale.ROOT, "%.1f%%", 100 * row.loso()),
              100 * row.baseline(),
              !Double.isNaN(row.loso()) && row.loso() < row.baseline() ? "  < baseline" : ""));
    }
    double macroLoso =
        r.rows().stream()
            .mapToDouble(Row::loso)
            .filter(d -> !Double.isNaN(d))
            .average()
            .orElse(Double.NaN);
    out.append(
        String.format(
            Locale.ROOT,
            "%-34s %6d %7.1f%% %8s %8.1f%%%n",
            "all (micro)",
            r.all().results().size(),
            100 * r.all().accuracy(),
            r.loso() == null
                ? "-"
                : String.format(Locale.ROOT, "%.1f%%", 100 * r.loso().accuracy()),
            100 * r.baseline()));
    out.append(
        String.format(
            Locale.ROOT,
            "%-34s %6s %7.1f%% %8s %8.1f%%%n",
            "mean of sources (macro)",
            "",
            100 * r.rows().stream().mapToDouble(Row::config).average().orElse(0),
            Double.isNaN(macroLoso) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * macroLoso),
            100 * r.rows().stream().mapToDouble(Row::baseline).average().orElse(0)));
    if (r.loso() != null) {
      out.append("\nleave-one-source-out, all sources together\n")
          .append(r.loso().format(showErrors));
    }
    return out.toString();
  }
}
