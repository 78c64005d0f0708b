package dev.semlb.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.eval.Baseline;
import dev.semlb.classifier.eval.Evaluator;
import dev.semlb.classifier.eval.LabelledRequest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Labelled requests of a public corpus sent through the real Envoy, one at a time, and counted by
 * source: how many reached their labelled pool, and how many the built-in keyword baseline would
 * have got right on the same requests. Every request must be answered 200.
 */
public final class CorpusScore {

  /** Counts of one source: requests, routed to their pool, right by the baseline. */
  public record Counts(int requests, int right, int baselineRight) {

    /** Share routed to their pool. */
    public double accuracy() {
      return (double) right / requests;
    }

    /** Share the baseline gets right. */
    public double baselineAccuracy() {
      return (double) baselineRight / requests;
    }

    /** {@code accuracy()} in percent, one decimal, for logs. */
    public double percent() {
      return Math.round(1000.0 * right / requests) / 10.0;
    }

    /** {@code baselineAccuracy()} in percent, one decimal, for logs. */
    public double baselinePercent() {
      return Math.round(1000.0 * baselineRight / requests) / 10.0;
    }

    Counts plus(Counts other) {
      return new Counts(
          requests + other.requests, right + other.right, baselineRight + other.baselineRight);
    }
  }

  private final Map<String, Counts> bySource;
  private final Counts all;

  private CorpusScore(Map<String, Counts> bySource) {
    this.bySource = Collections.unmodifiableMap(bySource);
    this.all = bySource.values().stream().reduce(new Counts(0, 0, 0), Counts::plus);
  }

  /** Sends one request through a stack's Envoy. */
  @FunctionalInterface
  public interface Sender {
    /** The answer to {@code r}, sent as a user would. */
    Served send(LabelledRequest r) throws Exception;
  }

  /** Sends {@code requests} through {@code stack}'s Envoy; {@code table} is the loaded config. */
  public static CorpusScore send(SemlbStack stack, Pipeline table, List<LabelledRequest> requests)
      throws Exception {
    return send(r -> stack.send(r), table, requests);
  }

  /** Sends {@code requests} with {@code sender}; {@code table} is the config the stack loaded. */
  public static CorpusScore send(Sender sender, Pipeline table, List<LabelledRequest> requests)
      throws Exception {
    Baseline baseline = Baseline.forPools(table.config().poolNames(), table.config().defaultPool());
    Map<String, Counts> bySource = new TreeMap<>();
    for (LabelledRequest r : requests) {
      Served served = sender.send(r);
      assertThat(served.status()).as(r.describe()).isEqualTo(200);
      Counts one =
          new Counts(
              1,
              r.expectedPool().equals(served.pool()) ? 1 : 0,
              baseline.classify(Evaluator.view(table, r)).equals(r.expectedPool()) ? 1 : 0);
      bySource.merge(r.source(), one, Counts::plus);
    }
    return new CorpusScore(bySource);
  }

  /** Counts per source, sorted by source name. */
  public Map<String, Counts> bySource() {
    return bySource;
  }

  /** Logs the counts of each source, then of all, as {@code what} (e.g. "held-out APIs"). */
  public void log(org.slf4j.Logger log, String what) {
    bySource.forEach(
        (source, c) ->
            log.info(
                "{}: {} requests, {}% to their pool (baseline {}%)",
                source, c.requests(), c.percent(), c.baselinePercent()));
    log.info(
        "{}: {} requests through Envoy, {}% to their pool (baseline {}%)",
        what, all.requests(), all.percent(), all.baselinePercent());
  }

  /** Counts over all requests. */
  public Counts all() {
    return all;
  }
}
