package dev.semlb.extproc.feedback;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.cost.CostKey;
import dev.semlb.classifier.cost.CostKeyHeader;
import dev.semlb.classifier.cost.CostStats;
import dev.semlb.classifier.cost.FeedbackSampling;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.extproc.processing.CostReporting;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Reports every request of a key until its window holds enough evidence, then a sample ({@link
 * FeedbackSampling}, from the current routing config's {@code measured.sampling}): the cost-key
 * header carries the request's weight ({@link CostKeyHeader}), 0 for the ones sampled out, which
 * Envoy's feedback log skips. Thread-safe.
 */
public final class SampledReporting implements CostReporting {

  private final CostStats costs;
  private final Supplier<Pipeline> routing;

  /**
   * @param costs the measured costs, whose windows say how much evidence a key has
   * @param routing the current routing table, whose config holds the sampling settings
   */
  public SampledReporting(CostStats costs, Supplier<Pipeline> routing) {
    this.costs = Objects.requireNonNull(costs, "costs");
    this.routing = Objects.requireNonNull(routing, "routing");
  }

  @Override
  public String header(RequestView view) {
    String key = CostKey.of(view);
    FeedbackSampling sampling = routing.get().config().measured().sampling();
    if (sampling.oneIn() == 1) {
      return key;
    }
    return CostKeyHeader.value(
        key, sampling.weight(costs.windowCount(key), ThreadLocalRandom.current().nextDouble()));
  }
}
