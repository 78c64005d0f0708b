package dev.semlb.extproc.eval;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.cost.AccessLogHistory;
import dev.semlb.classifier.cost.CostClass;
import dev.semlb.classifier.cost.CostStats;
import dev.semlb.classifier.cost.MeasuredSettings;
import dev.semlb.classifier.embedding.EmbeddingSettings;
import dev.semlb.classifier.embedding.OnnxEmbedder;
import dev.semlb.classifier.eval.Evaluator;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.MeasuredReplay;
import dev.semlb.classifier.eval.MemoEmbedder;
import dev.semlb.classifier.eval.SourceEvaluation;
import dev.semlb.classifier.head.HeadTrainer;
import dev.semlb.config.ConfigException;
import dev.semlb.config.Flags;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code java -jar ext-proc-service.jar eval --config F --data CASES[,MORE] [--no-rules]
 * [--no-embedding] [--errors] [--warmup N] [--loso false] [--fit] [--c 1.0] [--signals-only]
 * [--replay-costs fast-path=4,general=45,high-compute=380 [--replay-warmup N] [--replay-key-sigma
 * 0]] [--cost-log FILE [--cost-log-max-mib 256]] [--measured-classes C]}: classifies labelled cases
 * with the real pipeline and prints accuracy, per-pool precision and recall, the confusion matrix,
 * the share decided by each stage and latency; then, by source, the config's accuracy, the
 * leave-one-source-out accuracy (the decision head retrained without that source) and the
 * keyword-and-length baseline. {@code --fit} chooses the head's {@code minProbability} and {@code
 * margin}, and the example stage's {@code marginWithoutBody} (or the stage off), by
 * leave-one-source-out cross-validation. Cases are {@code .jsonl} (with an optional {@code source})
 * or {@code .tsv}. {@code --replay-costs} adds the {@link MeasuredReplay}: each source as a new API
 * whose requests cost their pool's typical time, before and after the measured stage has seen
 * {@code --replay-warmup} (default: the config's {@code minSamples}) requests per case. {@code
 * --cost-log FILE [--cost-log-max-mib 256]} seeds the measured costs from an Envoy JSON access log
 * ({@link AccessLogHistory}; its summary is printed first) and runs the config's {@code measured}
 * stage on them (switched on if the config has it off), so the report shows what yesterday's
 * traffic would have decided.
 */
public final class EvalCommand {

  private static final double[] MIN_PROBABILITIES = {0.0, 0.4, 0.5, 0.6, 0.7, 0.8};
  private static final double[] MARGINS = {0.0, 0.02, 0.05, 0.1, 0.2, 0.3};

  private static final double[] EMBEDDING_MARGINS = {0.005, 0.02, 0.04, 0.08};

  private EvalCommand() {}

  /**
   * The example-stage settings {@code --fit} tries: the config's own, the same with each of {@link
   * #EMBEDDING_MARGINS} as its {@code marginWithoutBody} (the margin for requests with a body stays
   * the config's), and the stage off (an unsure head then leaves the request to the default pool).
   * A config with the stage off is fitted as it is.
   */
  static List<EmbeddingSettings> embeddingVariants(EmbeddingSettings configured) {
    if (!configured.enabled()) {
      return List.of(configured);
    }
    Set<Double> margins = new TreeSet<>();
    margins.add(configured.marginWithoutBody());
    for (double m : EMBEDDING_MARGINS) {
      margins.add(m);
    }
    List<EmbeddingSettings> out = new ArrayList<>();
    margins.forEach(m -> out.add(configured.withMarginWithoutBody(m)));
    out.add(configured.disabled());
    return out;
  }

  private static String fitRow(SourceEvaluation.Fit f) {
    return String.format(
        Locale.ROOT,
        "  %14.2f %7.2f %17s %8.1f%% %8.1f%%%n",
        f.minProbability(),
        f.margin(),
        f.embedding().enabled()
            ? String.format(Locale.ROOT, "%.3f", f.embedding().marginWithoutBody())
            : "stage off",
        100 * f.macroAccuracy(),
        100 * f.accuracy());
  }

  /** {@code pool=ms,pool=ms}, or null for none. */
  static Map<String, Double> costs(String raw) {
    if (raw == null) {
      return null;
    }
    Map<String, Double> costs = new LinkedHashMap<>();
    for (String part : raw.split(",")) {
      String[] kv = part.split("=", 2);
      double ms = -1;
      try {
        ms = kv.length == 2 ? Double.parseDouble(kv[1].trim()) : -1;
      } catch (NumberFormatException e) {
        // reported below
      }
      if (kv.length != 2 || kv[0].isBlank() || !(ms > 0) || Double.isInfinite(ms)) {
        throw new IllegalArgumentException(
            "--replay-costs: '"
                + part
                + "' (expected: pool=milliseconds, comma-separated, e.g."
                + " fast-path=4,general=45,high-compute=380)");
      }
      costs.put(kv[0].trim(), ms);
    }
    return costs;
  }

  /**
   * The config's measured settings, switched on.
   *
   * @throws IllegalArgumentException if the config declares no cost classes
   */
  static MeasuredSettings measuredOn(MeasuredSettings m) {
    if (m.classes().isEmpty()) {
      throw new IllegalArgumentException(
          "--cost-log: the config has no measured.classes (expected: the pools' cost classes to"
              + " decide from the log's costs)");
    }
    return new MeasuredSettings(
        true, m.minSamples(), m.maxErrorRate(), m.hysteresis(), m.classes());
  }

  /**
   * {@code m} with the classes of {@code raw}, e.g. {@code fast-path: p50 <= 25ms; general: p50 <=
   * 250ms} (pool, colon, class; semicolon-separated; tried in this order), as the config's {@code
   * measured.classes} would declare them.
   */
  static MeasuredSettings withClasses(MeasuredSettings m, String raw, RoutingConfig routing) {
    List<CostClass> parsed = new java.util.ArrayList<>();
    for (String part : raw.split(";")) {
      String[] kv = part.split(":", 2);
      String pool = kv[0].strip();
      if (kv.length != 2 || !routing.poolNames().contains(pool)) {
        throw new IllegalArgumentException(
            "--measured-classes: '"
                + part.strip()
                + "' (expected: pool: class, semicolon-separated, for the pools "
                + routing.poolNames()
                + ", e.g. 'fast-path: p50 <= 25ms; high-compute: p50 >= 250ms')");
      }
      String problem = CostClass.problem(kv[1]);
      if (problem != null) {
        throw new IllegalArgumentException(
            "--measured-classes: '" + kv[1].strip() + "' (expected: " + problem + ")");
      }
      parsed.add(CostClass.parse(pool, kv[1]));
    }
    return new MeasuredSettings(
        m.enabled(), m.minSamples(), m.maxErrorRate(), m.hysteresis(), parsed);
  }

  /**
   * Cost statistics seeded from {@code log}, on a clock that stands still (offline, the whole log
   * counts, however old), with its summary printed to {@code out}.
   */
  static CostStats seeded(Path log, long maxBytes, PrintStream out) throws IOException {
    CostStats stats = new CostStats(CostStats.DEFAULT_MAX_KEYS, CostStats.DEFAULT_PERIOD, () -> 0L);
    AccessLogHistory.Summary summary = AccessLogHistory.read(log, maxBytes, stats::record);
    CostStats.Totals totals = stats.totals();
    out.printf(
        "cost log: %s; %d keys (%d evicted past the bound)%n",
        summary.format(), totals.keys(), totals.evicted());
    return stats;
  }

  private static ClassifierResources withCosts(ClassifierResources r, CostStats costs) {
    return new ClassifierResources(r.embedder(), r.inference(), r.llm(), r.llmCounters(), costs);
  }

  /** Runs the command; returns the process exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      Flags flags = Flags.parse(args, env);
      Path config = flags.existingFile("config", "config/routing.yaml");
      List<Path> data = CommandInputs.files(flags, "data", null);
      boolean noRules = flags.bool("no-rules", false);
      boolean noEmbedding = flags.bool("no-embedding", false);
      boolean errors = flags.bool("errors", false);
      int warmup = flags.integer("warmup", 50, 0, 100_000);
      boolean loso = flags.bool("loso", true);
      boolean fit = flags.bool("fit", false);
      HeadTrainer.Options training = TrainCommand.options(flags);
      Map<String, Double> replayCosts = costs(flags.string("replay-costs", null));
      String classes = flags.string("measured-classes", null);
      int replayWarmup = flags.integer("replay-warmup", -1, -1, 100_000);
      double replayKeySigma = CommandInputs.number(flags, "replay-key-sigma", 0, 0, 3);
      Path costLog =
          flags.string("cost-log", null) == null ? null : flags.existingFile("cost-log", null);
      long costLogMaxBytes = (long) flags.integer("cost-log-max-mib", 256, 1, 1 << 20) << 20;
      flags.rejectUnknown();

      RoutingConfig routing = RoutingConfigLoader.load(config);
      training = TrainCommand.forConfig(training, routing);
      if (noRules) {
        routing = routing.withoutRules();
      }
      if (classes != null) {
        routing = routing.withMeasured(withClasses(routing.measured(), classes, routing));
      }
      // Measure classification, not caching: every case is new to the table.
      ClassifierResources resources =
          noEmbedding
              ? ClassifierResources.NONE
              : new ClassifierResources(
                  new MemoEmbedder(OnnxEmbedder.load(routing.embedding().model())),
                  Runnable::run,
                  Runnable::run);
      if (costLog != null) {
        routing = routing.withMeasured(measuredOn(routing.measured()));
        resources = withCosts(resources, seeded(costLog, costLogMaxBytes, out));
      }
      if (noEmbedding && training.embeddingDim() > 0) {
        training = training.withoutEmbedding();
      }
      List<LabelledRequest> cases = CommandInputs.read(data);
      Pipeline warm = Pipeline.build(routing, resources);
      for (int i = 0; i < warmup && !cases.isEmpty(); i++) {
        warm.classifier().classify(Evaluator.view(warm, cases.get(i % cases.size())));
      }
      SourceEvaluation.Result result =
          SourceEvaluation.run(routing, resources, cases, loso ? training : null);
      out.printf(
          "semlb eval: %s on %s%s%s%n",
          config, data, noRules ? " (rules off)" : "", noEmbedding ? " (embedding off)" : "");
      out.print(result.all().format(errors));
      out.print(SourceEvaluation.format(result, errors));
      if (replayCosts != null) {
        int perCase = replayWarmup >= 0 ? replayWarmup : routing.measured().minSamples();
        out.print(
            MeasuredReplay.format(
                MeasuredReplay.run(
                    routing, resources, cases, training, replayCosts, perCase, replayKeySigma, 42),
                replayCosts,
                perCase,
                replayKeySigma,
                routing.measured().classes().stream()
                    .map(c -> c.pool() + ": " + c)
                    .collect(java.util.stream.Collectors.joining("; "))));
      }
      if (fit) {
        List<SourceEvaluation.Fit> fits =
            SourceEvaluation.fit(
                routing,
                resources,
                cases,
                training,
                embeddingVariants(routing.embedding()),
                MIN_PROBABILITIES,
                MARGINS);
        out.println(
            "\nfit: head thresholds and the example stage's margin without a body by"
                + " leave-one-source-out"
                + " accuracy (macro = mean of sources)");
        out.printf(
            Locale.ROOT,
            "  %14s %7s %17s %9s %9s%n",
            "minProbability",
            "margin",
            "marginWithoutBody",
            "macro",
            "micro");
        fits.stream().limit(12).forEach(f -> out.print(fitRow(f)));
        out.println("  the best row for each example-stage setting:");
        Map<EmbeddingSettings, SourceEvaluation.Fit> bestPerStage = new LinkedHashMap<>();
        fits.forEach(f -> bestPerStage.putIfAbsent(f.embedding(), f));
        bestPerStage.values().forEach(f -> out.print(fitRow(f)));
        if (!fits.isEmpty()) {
          SourceEvaluation.Fit best = fits.get(0);
          out.printf(
              Locale.ROOT,
              "best: head: { minProbability: %.2f, margin: %.2f }, embedding: { %s }%n",
              best.minProbability(),
              best.margin(),
              best.embedding().enabled()
                  ? String.format(
                      Locale.ROOT, "marginWithoutBody: %.3f", best.embedding().marginWithoutBody())
                  : "enabled: false");
        }
      }
      return 0;
    } catch (IllegalArgumentException | ConfigException | IOException e) {
      err.println("eval: " + e.getMessage());
      return 2;
    }
  }
}
