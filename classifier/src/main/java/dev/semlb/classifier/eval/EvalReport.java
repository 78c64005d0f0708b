package dev.semlb.classifier.eval;

import dev.semlb.classifier.Stage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers an evaluation produced: accuracy, per-pool precision and recall, the confusion
 * matrix, the share decided by each stage and classification latency. Immutable.
 *
 * @param pools the configured pools, in config order
 * @param results one per case, in input order
 */
public record EvalReport(List<String> pools, List<Evaluator.Result> results) {

  /** Copies the lists. */
  public EvalReport {
    pools = List.copyOf(pools);
    results = List.copyOf(results);
  }

  /** Share of cases routed to their expected pool. */
  public double accuracy() {
    return results.isEmpty()
        ? 0
        : (double) results.stream().filter(Evaluator.Result::correct).count() / results.size();
  }

  /** Latency percentile in milliseconds, e.g. {@code 0.99}. */
  public double latencyMillis(double quantile) {
    if (results.isEmpty()) {
      return 0;
    }
    long[] nanos = results.stream().mapToLong(Evaluator.Result::nanos).sorted().toArray();
    int index = (int) Math.min(nanos.length - 1, Math.ceil(quantile * nanos.length) - 1);
    return nanos[Math.max(0, index)] / 1e6;
  }

  /** counts[expected][got]. */
  public Map<String, Map<String, Integer>> confusion() {
    Map<String, Map<String, Integer>> matrix = new LinkedHashMap<>();
    for (String expected : pools) {
      Map<String, Integer> row = new LinkedHashMap<>();
      pools.forEach(got -> row.put(got, 0));
      matrix.put(expected, row);
    }
    for (Evaluator.Result r : results) {
      matrix
          .computeIfAbsent(r.request().expectedPool(), k -> new LinkedHashMap<>())
          .merge(r.decision().pool(), 1, Integer::sum);
    }
    return matrix;
  }

  /** The report as a plain-text table. */
  public String format(boolean showErrors) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "cases: %d   accuracy: %.1f%%   latency p50 %.2f ms, p99 %.2f ms%n%n",
            results.size(),
            100 * accuracy(),
            latencyMillis(0.50),
            latencyMillis(0.99)));
    Map<String, Map<String, Integer>> matrix = confusion();
    out.append(
        String.format(Locale.ROOT, "%-14s %9s %7s %6s%n", "pool", "precision", "recall", "cases"));
    for (String pool : matrix.keySet()) {
      int truePositive = matrix.get(pool).getOrDefault(pool, 0);
      int expected = matrix.get(pool).values().stream().mapToInt(Integer::intValue).sum();
      int predicted = matrix.values().stream().mapToInt(row -> row.getOrDefault(pool, 0)).sum();
      out.append(
          String.format(
              Locale.ROOT,
              "%-14s %8.1f%% %6.1f%% %6d%n",
              pool,
              predicted == 0 ? 0 : 100.0 * truePositive / predicted,
              expected == 0 ? 0 : 100.0 * truePositive / expected,
              expected));
    }
    out.append("\nconfusion (rows: expected, columns: routed to)\n");
    out.append(String.format(Locale.ROOT, "%-14s", ""));
    matrix.keySet().forEach(p -> out.append(String.format(Locale.ROOT, " %13s", p)));
    out.append('\n');
    matrix.forEach(
        (expected, row) -> {
          out.append(String.format(Locale.ROOT, "%-14s", expected));
          matrix
              .keySet()
              .forEach(
                  got -> out.append(String.format(Locale.ROOT, " %13d", row.getOrDefault(got, 0))));
          out.append('\n');
        });
    // A stage's own accuracy shows which stage the misses come from (a stage that decides many
    // requests at chance level does more harm than passing them to the default pool).
    out.append("\ndecided by stage (share of cases, and how many of its own were right)\n");
    Map<Stage, Integer> right =
        Evaluator.byStage(results.stream().filter(Evaluator.Result::correct).toList());
    Evaluator.byStage(results)
        .forEach(
            (stage, n) ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %-10s %5d  %5.1f%%   right %5.1f%%%n",
                        stage.label(),
                        n,
                        100.0 * n / results.size(),
                        100.0 * right.getOrDefault(stage, 0) / n)));
    if (showErrors) {
      out.append("\nmisrouted\n");
      results.stream()
          .filter(r -> !r.correct())
          .forEach(
              r -> {
                out.append("  ");
                if (!r.request().source().isEmpty()) {
                  out.append('[').append(r.request().source()).append("] ");
                }
                out.append(r.request().describe())
                    .append(" got ")
                    .append(r.decision().pool())
                    .append(" [")
                    .append(r.decision().stage().label())
                    .append("] ")
                    .append(r.decision().reason())
                    .append('\n');
                if (!r.excerpt().isEmpty()) {
                  out.append("      \"").append(r.excerpt()).append("\"\n");
                }
              });
    }
    return out.toString();
  }

  /** Share of cases decided by {@code stage}. */
  public double share(Stage stage) {
    return results.isEmpty()
        ? 0
        : (double) results.stream().filter(r -> r.decision().stage() == stage).count()
            / results.size();
  }
}
