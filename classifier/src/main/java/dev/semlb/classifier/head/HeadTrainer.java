package dev.semlb.classifier.head;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import dev.semlb.classifier.signals.Signal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Trains a {@link HeadModel} with LIBLINEAR's L2-regularized logistic regression (the Java port,
 * {@code de.bwaldvogel:liblinear}): a well-kept, dependency-free solver whose trust-region Newton
 * method is deterministic, so the same examples always give the same model.
 *
 * <p>Classes are weighted by inverse frequency so a pool with few examples is not drowned. The
 * probability temperature is fitted on out-of-fold predictions: folds are the examples' sources
 * when there are at least three (so calibration reflects unseen APIs), else five folds by position.
 * Stateless.
 */
public final class HeadTrainer {

  /** One labelled training example: raw signals, optional embedding, pool, source. */
  public record Example(double[] signals, float[] embedding, String pool, String source) {
    /** Checks the fields. */
    public Example {
      Objects.requireNonNull(signals, "signals");
      Objects.requireNonNull(pool, "pool");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * Training settings.
   *
   * @param c inverse regularization strength, > 0
   * @param embeddingDim 0 for a signals-only head, else the embedding's dimensions
   * @param maxWords words of the request summary embedded (recorded in the model)
   * @param embeddingWeight how much the embedding block counts against the signals, in (0, 1]: the
   *     block is standardized as a whole (one scale for every dimension, which keeps the
   *     embedding's geometry) and multiplied by this, which regularizes it more strongly (a
   *     sentence embedding has hundreds of dimensions that can memorize one source's wording)
   * @param balanceSources whether every source counts about as much as every other: examples of
   *     smaller sources are repeated (LIBLINEAR's Java port has no instance weights) so that one
   *     large source's style does not become the model's idea of a pool
   * @param excludedSignals signals the model must not use (their weights stay 0), e.g. request
   *     envelope features that only tell the training sources apart
   */
  public record Options(
      double c,
      int embeddingDim,
      int maxWords,
      double embeddingWeight,
      boolean balanceSources,
      Set<Signal> excludedSignals) {
    /** Validates the fields. */
    public Options {
      if (!(c > 0) || Double.isInfinite(c)) {
        throw new IllegalArgumentException("c: " + c + " (expected: > 0)");
      }
      if (embeddingDim < 0) {
        throw new IllegalArgumentException("embeddingDim: " + embeddingDim + " (expected: >= 0)");
      }
      if (!(embeddingWeight > 0 && embeddingWeight <= 1)) {
        throw new IllegalArgumentException(
            "embeddingWeight: " + embeddingWeight + " (expected: 0 < w <= 1)");
      }
      excludedSignals = Set.copyOf(Objects.requireNonNull(excludedSignals, "excludedSignals"));
    }

    /** Options with every signal, sources as they come. */
    public Options(double c, int embeddingDim, int maxWords, double embeddingWeight) {
      this(c, embeddingDim, maxWords, embeddingWeight, false, Set.of());
    }

    /** Options with the embedding at full weight. */
    public Options(double c, int embeddingDim, int maxWords) {
      this(c, embeddingDim, maxWords, 1.0);
    }

    /**
     * The options {@code model} was trained with, as its file records them (files written before a
     * setting existed get its default), e.g. to retrain it on other data the same way.
     */
    public static Options recordedIn(HeadModel model) {
      Map<String, Object> t = model.training();
      Set<Signal> excluded = new java.util.HashSet<>();
      if (t.get("excludedSignals") instanceof List<?> names) {
        names.forEach(n -> excluded.add(Signal.valueOf(String.valueOf(n))));
      }
      return new Options(
          t.get("c") instanceof Number c ? c.doubleValue() : 1.0,
          model.embeddingDim(),
          model.maxWords(),
          t.get("embeddingWeight") instanceof Number w ? w.doubleValue() : 1.0,
          Boolean.TRUE.equals(t.get("balanceSources")),
          excluded);
    }

    /** The same options without an embedding (a signals-only head). */
    public Options withoutEmbedding() {
      return new Options(c, 0, maxWords, 1.0, balanceSources, excludedSignals);
    }
  }

  private static final double[] TEMPERATURES = {0.25, 0.35, 0.5, 0.7, 1.0, 1.4, 2.0, 2.8, 4.0};

  private HeadTrainer() {}

  /**
   * Trains on {@code examples} for {@code pools} (those with examples become the model's pools).
   */
  public static HeadModel train(List<Example> examples, List<String> pools, Options options) {
    List<String> seen =
        pools.stream().filter(p -> examples.stream().anyMatch(e -> e.pool().equals(p))).toList();
    if (seen.size() < 2) {
      throw new IllegalArgumentException(
          "examples: " + seen.size() + " pools have examples (expected: at least 2)");
    }
    for (Example e : examples) {
      if (!pools.contains(e.pool())) {
        throw new IllegalArgumentException(
            "example pool: '" + e.pool() + "' (expected: one of " + pools + ")");
      }
    }
    HeadModel raw = fit(examples, seen, options, 1.0);
    double temperature = calibrate(examples, seen, options);
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("examples", examples.size());
    training.put("c", options.c());
    training.put("embeddingWeight", options.embeddingWeight());
    training.put("balanceSources", options.balanceSources());
    training.put(
        "excludedSignals", options.excludedSignals().stream().map(Enum::name).sorted().toList());
    training.put("solver", "liblinear " + SolverType.L2R_LR);
    training.put("byPool", count(examples, true));
    training.put("bySource", count(examples, false));
    return new HeadModel(
        raw.pools(),
        raw.signals(),
        raw.signalsVersion(),
        raw.embeddingDim(),
        raw.embeddingModel(),
        raw.maxWords(),
        raw.mean(),
        raw.scale(),
        raw.weights(),
        raw.bias(),
        temperature,
        training);
  }

  private static Map<String, Integer> count(List<Example> examples, boolean byPool) {
    Map<String, Integer> out = new TreeMap<>();
    examples.forEach(e -> out.merge(byPool ? e.pool() : e.source(), 1, Integer::sum));
    return out;
  }

  private static HeadModel fit(
      List<Example> given, List<String> pools, Options options, double temperature) {
    List<Example> examples = options.balanceSources() ? balanced(given) : given;
    int nSignals = Signal.values().length;
    int n = nSignals + options.embeddingDim();
    double[][] raw = new double[examples.size()][];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = features(examples.get(i), nSignals, options.embeddingDim());
    }
    double[] mean = new double[n];
    double[] scale = new double[n];
    for (double[] r : raw) {
      for (int j = 0; j < n; j++) {
        mean[j] += r[j] / raw.length;
      }
    }
    for (double[] r : raw) {
      for (int j = 0; j < n; j++) {
        scale[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / raw.length;
      }
    }
    double embeddingVariance = 0;
    for (int j = nSignals; j < n; j++) {
      embeddingVariance += scale[j] / options.embeddingDim();
    }
    double embeddingScale = Math.max(1e-6, Math.sqrt(embeddingVariance));
    boolean[] excluded = new boolean[n];
    for (Signal s : options.excludedSignals()) {
      excluded[s.ordinal()] = true;
    }
    for (int j = 0; j < n; j++) {
      if (j >= nSignals) {
        scale[j] = embeddingScale / options.embeddingWeight();
      } else {
        scale[j] = Math.sqrt(scale[j]);
        if (scale[j] < 1e-6) {
          scale[j] = 1;
        }
      }
    }
    Problem problem = new Problem();
    problem.l = raw.length;
    problem.n = n + 1;
    problem.bias = 1;
    problem.y = new double[raw.length];
    problem.x = new Feature[raw.length][];
    for (int i = 0; i < raw.length; i++) {
      problem.y[i] = pools.indexOf(examples.get(i).pool());
      List<Feature> row = new ArrayList<>(n + 1);
      for (int j = 0; j < n; j++) {
        double x = excluded[j] ? 0 : (raw[i][j] - mean[j]) / scale[j];
        if (x != 0) {
          row.add(new FeatureNode(j + 1, x));
        }
      }
      row.add(new FeatureNode(n + 1, 1));
      problem.x[i] = row.toArray(Feature[]::new);
    }
    Parameter parameter = new Parameter(SolverType.L2R_LR, options.c(), 0.001);
    int[] labels = new int[pools.size()];
    double[] classWeights = new double[pools.size()];
    for (int c = 0; c < pools.size(); c++) {
      labels[c] = c;
      String pool = pools.get(c);
      long members = examples.stream().filter(e -> e.pool().equals(pool)).count();
      classWeights[c] = examples.size() / (double) (pools.size() * Math.max(1, members));
    }
    parameter.setWeights(classWeights, labels);
    Linear.disableDebugOutput();
    Linear.resetRandom();
    Model model = Linear.train(problem, parameter);
    double[][] weights = new double[pools.size()][n];
    double[] bias = new double[pools.size()];
    int[] order = model.getLabels();
    for (int k = 0; k < order.length; k++) {
      int pool = order[k];
      for (int j = 0; j < n; j++) {
        weights[pool][j] = model.getDecfunCoef(j + 1, k);
      }
      bias[pool] = model.getDecfunCoef(n + 1, k);
    }
    return new HeadModel(
        pools,
        Signal.SCHEMA,
        Signal.VERSION,
        options.embeddingDim(),
        "",
        options.maxWords(),
        mean,
        scale,
        weights,
        bias,
        temperature,
        Map.of());
  }

  /**
   * Every source about equally large: each example of a source is repeated {@code round(largest /
   * size)} times (at least once), which for LIBLINEAR's loss is an instance weight of that size.
   */
  static List<Example> balanced(List<Example> examples) {
    Map<String, Integer> sizes = count(examples, false);
    int largest = sizes.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    List<Example> out = new ArrayList<>();
    for (Example e : examples) {
      long times = Math.max(1, Math.round(largest / (double) sizes.get(e.source())));
      for (long k = 0; k < times; k++) {
        out.add(e);
      }
    }
    return out;
  }

  private static double[] features(Example e, int nSignals, int dim) {
    double[] x = new double[nSignals + dim];
    System.arraycopy(e.signals(), 0, x, 0, nSignals);
    if (dim > 0) {
      if (e.embedding() == null || e.embedding().length != dim) {
        throw new IllegalArgumentException(
            "example embedding: "
                + (e.embedding() == null ? "missing" : e.embedding().length + " dimensions")
                + " (expected: "
                + dim
                + ")");
      }
      for (int j = 0; j < dim; j++) {
        x[nSignals + j] = e.embedding()[j];
      }
    }
    return x;
  }

  /** The temperature that minimizes the log loss of out-of-fold predictions. */
  private static double calibrate(List<Example> examples, List<String> pools, Options options) {
    List<List<Integer>> folds = folds(examples);
    if (folds.size() < 2) {
      return 1.0;
    }
    List<double[]> logits = new ArrayList<>();
    List<Integer> truth = new ArrayList<>();
    for (List<Integer> fold : folds) {
      List<Example> train = new ArrayList<>();
      java.util.Set<Integer> held = new java.util.HashSet<>(fold);
      for (int i = 0; i < examples.size(); i++) {
        if (!held.contains(i)) {
          train.add(examples.get(i));
        }
      }
      List<String> trainPools =
          pools.stream().filter(p -> train.stream().anyMatch(e -> e.pool().equals(p))).toList();
      if (trainPools.size() < 2) {
        continue;
      }
      HeadModel m = fit(train, trainPools, options, 1.0);
      for (int i : fold) {
        Example e = examples.get(i);
        double[] x = m.standardize(e.signals(), e.embedding());
        double[] z = new double[pools.size()];
        java.util.Arrays.fill(z, -30); // a pool the fold never saw: probability ~0
        double[] values = m.decisionValues(x);
        for (int c = 0; c < trainPools.size(); c++) {
          z[pools.indexOf(trainPools.get(c))] = values[c];
        }
        logits.add(z);
        truth.add(pools.indexOf(e.pool()));
      }
    }
    double best = 1.0;
    double bestLoss = Double.MAX_VALUE;
    for (double t : TEMPERATURES) {
      double loss = 0;
      for (int i = 0; i < logits.size(); i++) {
        double[] z = logits.get(i);
        double sum = 0;
        double mine = 0;
        for (int c = 0; c < z.length; c++) {
          double p = 1 / (1 + Math.exp(-z[c] / t));
          sum += p;
          if (c == truth.get(i)) {
            mine = p;
          }
        }
        loss -= Math.log(Math.max(1e-12, mine / sum));
      }
      if (loss < bestLoss) {
        bestLoss = loss;
        best = t;
      }
    }
    return best;
  }

  /** At most this many out-of-fold trainings calibrate a model. */
  static final int MAX_FOLDS = 5;

  /**
   * Out-of-fold groups: with three or more sources, whole sources, dealt round-robin (in name
   * order) into at most {@link #MAX_FOLDS} folds, so no source is ever in its own training data;
   * else five by position.
   */
  static List<List<Integer>> folds(List<Example> examples) {
    TreeSet<String> sources = new TreeSet<>();
    examples.forEach(e -> sources.add(e.source()));
    List<List<Integer>> folds = new ArrayList<>();
    if (sources.size() >= 3) {
      List<String> names = new ArrayList<>(sources);
      int n = Math.min(MAX_FOLDS, names.size());
      for (int f = 0; f < n; f++) {
        folds.add(new ArrayList<>());
      }
      Map<String, List<Integer>> foldOf = new java.util.HashMap<>();
      for (int k = 0; k < names.size(); k++) {
        foldOf.put(names.get(k), folds.get(k % n));
      }
      for (int i = 0; i < examples.size(); i++) {
        foldOf.get(examples.get(i).source()).add(i);
      }
      return folds;
    }
    for (int f = 0; f < 5; f++) {
      List<Integer> fold = new ArrayList<>();
      for (int i = f; i < examples.size(); i += 5) {
        fold.add(i);
      }
      folds.add(fold);
    }
    return folds;
  }
}
