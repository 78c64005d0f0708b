package dev.semlb.classifier.embedding;

import dev.semlb.classifier.view.RequestSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every pool's example phrases as unit vectors, computed once per routing-config load, and the
 * scoring of a request vector against them: a pool's score is the mean similarity of its {@code
 * neighbors} nearest examples. Immutable and thread-safe.
 */
public final class ExampleIndex {

  /** One pool's score for a request, with its single nearest example. */
  public record PoolScore(
      String pool, double score, String nearestExample, double nearestSimilarity) {}

  private final Map<String, float[][]> vectors;
  private final Map<String, List<String>> examples;
  private final int neighbors;

  private ExampleIndex(
      Map<String, float[][]> vectors, Map<String, List<String>> examples, int neighbors) {
    this.vectors = vectors;
    this.examples = examples;
    this.neighbors = neighbors;
  }

  /**
   * Embeds every example.
   *
   * @param examples example phrases by pool (pools without examples are left out)
   * @param neighbors how many nearest examples a pool's score averages, at least 1
   */
  public static ExampleIndex build(
      TextEmbedder embedder, Map<String, List<String>> examples, int neighbors, int maxWords) {
    Map<String, float[][]> vectors = new LinkedHashMap<>();
    Map<String, List<String>> kept = new LinkedHashMap<>();
    examples.forEach(
        (pool, phrases) -> {
          if (phrases.isEmpty()) {
            return;
          }
          float[][] rows = new float[phrases.size()][];
          for (int i = 0; i < rows.length; i++) {
            rows[i] = embedder.embed(RequestSummary.ofText(phrases.get(i), maxWords));
          }
          vectors.put(pool, rows);
          kept.put(pool, List.copyOf(phrases));
        });
    return new ExampleIndex(vectors, kept, Math.max(1, neighbors));
  }

  /** Whether any pool has examples. */
  public boolean isEmpty() {
    return vectors.isEmpty();
  }

  /** Every pool's score for {@code query} (a unit vector), best first. */
  public List<PoolScore> score(float[] query) {
    List<PoolScore> scores = new ArrayList<>(vectors.size());
    vectors.forEach(
        (pool, rows) -> {
          float[] sims = new float[rows.length];
          int nearest = 0;
          for (int i = 0; i < rows.length; i++) {
            sims[i] = Vectors.dot(query, rows[i]);
            if (sims[i] > sims[nearest]) {
              nearest = i;
            }
          }
          float[] sorted = sims.clone();
          Arrays.sort(sorted);
          int k = Math.min(neighbors, sorted.length);
          double sum = 0;
          for (int i = 0; i < k; i++) {
            sum += sorted[sorted.length - 1 - i];
          }
          scores.add(new PoolScore(pool, sum / k, examples.get(pool).get(nearest), sims[nearest]));
        });
    scores.sort((a, b) -> Double.compare(b.score(), a.score()));
    return scores;
  }
}
