package dev.semlb.classifier.head;

import dev.semlb.classifier.signals.Signal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained decision head: a linear one-vs-rest logistic model over [signals ⊕ embedding] that
 * gives each pool a probability.
 *
 * <p>Features are standardized with the training set's {@code mean} and {@code scale}; a pool's
 * score is {@code sigmoid((w·x + b) / temperature)}, and the scores are normalized to sum to 1.
 * {@code temperature} was fitted on out-of-fold predictions, so probabilities are calibrated on
 * data the model did not see.
 *
 * <p>Invariants (checked here; {@link HeadModelFile} reports them per field): the signal names are
 * {@link Signal#SCHEMA} of {@link Signal#VERSION}; every array has {@link #features()} entries; all
 * numbers are finite; {@code scale} and {@code temperature} are positive. Immutable: arrays are
 * copied in, and the accessors return copies.
 *
 * @param pools the pools it can predict, in weight-row order
 * @param signals the signal names it was trained with
 * @param signalsVersion {@link Signal#VERSION} at training
 * @param embeddingDim dimensions of the embedding part (0: signals only)
 * @param embeddingModel the {@code EmbeddingModel} id it was trained over ("" for signals only or
 *     not yet known: {@link HeadTrainer} leaves it to the caller, see {@link #withEmbeddingModel})
 * @param maxWords words of the request summary that were embedded
 * @param mean per-feature mean of the training data
 * @param scale per-feature standard deviation of the training data
 * @param weights per pool, per feature
 * @param bias per pool
 * @param temperature divides the decision values before the sigmoid
 * @param training how it was trained (counts, sources, settings), for humans
 */
public record HeadModel(
    List<String> pools,
    List<String> signals,
    int signalsVersion,
    int embeddingDim,
    String embeddingModel,
    int maxWords,
    double[] mean,
    double[] scale,
    double[][] weights,
    double[] bias,
    double temperature,
    Map<String, Object> training) {

  /** A feature's part in a decision. */
  public record Contribution(String feature, double value) {}

  /** Checks the invariants and copies every array. */
  public HeadModel {
    pools = List.copyOf(pools);
    signals = List.copyOf(signals);
    training = Map.copyOf(training);
    Objects.requireNonNull(embeddingModel, "embeddingModel");
    if (!signals.equals(Signal.SCHEMA) || signalsVersion != Signal.VERSION) {
      throw new IllegalArgumentException(
          "signals: version "
              + signalsVersion
              + " with "
              + signals.size()
              + " names (expected: version "
              + Signal.VERSION
              + " with "
              + Signal.SCHEMA.size()
              + "; retrain the head)");
    }
    if (pools.size() < 2) {
      throw new IllegalArgumentException("pools: " + pools + " (expected: at least 2)");
    }
    if (embeddingDim < 0 || embeddingDim > 4096) {
      throw new IllegalArgumentException("embeddingDim: " + embeddingDim + " (expected: 0..4096)");
    }
    int n = signals.size() + embeddingDim;
    mean = checked("mean", mean, n);
    scale = checked("scale", scale, n);
    for (double s : scale) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("scale: " + s + " (expected: > 0)");
      }
    }
    if (weights.length != pools.size()) {
      throw new IllegalArgumentException(
          "weights: " + weights.length + " rows (expected: " + pools.size() + ")");
    }
    double[][] w = new double[weights.length][];
    for (int i = 0; i < weights.length; i++) {
      w[i] = checked("weights[" + i + "]", weights[i], n);
    }
    weights = w;
    bias = checked("bias", bias, pools.size());
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature: " + temperature + " (expected: > 0)");
    }
  }

  private static double[] checked(String name, double[] values, int length) {
    Objects.requireNonNull(values, name);
    if (values.length != length) {
      throw new IllegalArgumentException(
          name + ": " + values.length + " values (expected: " + length + ")");
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(name + ": " + v + " (expected: finite numbers)");
      }
    }
    return values.clone();
  }

  /** This model, recorded as trained over the embedding model {@code id}. */
  public HeadModel withEmbeddingModel(String id) {
    return new HeadModel(
        pools,
        signals,
        signalsVersion,
        embeddingDim,
        id,
        maxWords,
        mean,
        scale,
        weights,
        bias,
        temperature,
        training);
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] scale() {
    return scale.clone();
  }

  @Override
  public double[][] weights() {
    return Arrays.stream(weights).map(double[]::clone).toArray(double[][]::new);
  }

  @Override
  public double[] bias() {
    return bias.clone();
  }

  /** Number of features: signals then embedding dimensions. */
  public int features() {
    return signals.size() + embeddingDim;
  }

  /** The standardized feature vector of raw signals and an embedding (null: the training mean). */
  public double[] standardize(double[] signalValues, float[] embedding) {
    double[] x = new double[features()];
    for (int i = 0; i < signalValues.length; i++) {
      x[i] = (signalValues[i] - mean[i]) / scale[i];
    }
    if (embedding != null) {
      for (int j = 0; j < embeddingDim && j < embedding.length; j++) {
        int i = signals.size() + j;
        x[i] = (embedding[j] - mean[i]) / scale[i];
      }
    }
    return x;
  }

  /**
   * Each pool's decision value {@code w·x + b} for a standardized feature vector (before the
   * temperature).
   */
  public double[] decisionValues(double[] x) {
    double[] z = new double[pools.size()];
    for (int c = 0; c < z.length; c++) {
      double sum = bias[c];
      double[] w = weights[c];
      for (int i = 0; i < x.length; i++) {
        sum += w[i] * x[i];
      }
      z[c] = sum;
    }
    return z;
  }

  /** Each pool's probability for a standardized feature vector; they sum to 1. */
  public double[] probabilities(double[] x) {
    double[] p = decisionValues(x);
    double sum = 0;
    for (int c = 0; c < p.length; c++) {
      p[c] = 1 / (1 + Math.exp(-p[c] / temperature));
      sum += p[c];
    }
    for (int c = 0; c < p.length; c++) {
      p[c] = sum > 0 ? p[c] / sum : 1.0 / p.length;
    }
    return p;
  }

  /**
   * What pushed {@code x} towards pool {@code a} rather than {@code b}, largest first: each signal
   * the request has ({@code raw} non-zero) with its {@code x_i (w_a,i - w_b,i)}, and the embedding
   * dimensions summed as one "meaning" entry. (Absent signals also shift the score, through the
   * training mean, but naming them would explain a request by what it lacks.)
   */
  public List<Contribution> contributions(double[] x, double[] raw, int a, int b, int limit) {
    List<Contribution> out = new ArrayList<>();
    for (int i = 0; i < signals.size(); i++) {
      double c = x[i] * (weights[a][i] - weights[b][i]);
      if (c > 0 && raw[i] != 0) {
        out.add(new Contribution(Signal.valueOf(signals.get(i)).label(), c));
      }
    }
    double meaning = 0;
    for (int i = signals.size(); i < x.length; i++) {
      meaning += x[i] * (weights[a][i] - weights[b][i]);
    }
    if (embeddingDim > 0 && meaning > 0) {
      out.add(new Contribution("meaning (embedding)", meaning));
    }
    out.sort(Comparator.comparingDouble(Contribution::value).reversed());
    return out.subList(0, Math.min(limit, out.size()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeadModel m
        && pools.equals(m.pools)
        && embeddingDim == m.embeddingDim
        && embeddingModel.equals(m.embeddingModel)
        && maxWords == m.maxWords
        && Arrays.equals(mean, m.mean)
        && Arrays.equals(scale, m.scale)
        && Arrays.deepEquals(weights, m.weights)
        && Arrays.equals(bias, m.bias)
        && temperature == m.temperature;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pools, embeddingDim, Arrays.hashCode(bias), temperature);
  }

  @Override
  public String toString() {
    return "HeadModel" + pools + " (" + features() + " features, temperature " + temperature + ")";
  }
}
