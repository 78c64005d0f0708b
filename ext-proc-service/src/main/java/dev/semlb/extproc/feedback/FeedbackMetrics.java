package dev.semlb.extproc.feedback;

import dev.semlb.classifier.cost.CostStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Exports the cost feedback loop's totals: entries received ({@code
 * semlb_feedback_entries_total{kind}}), of which native-route entries ({@code
 * semlb_feedback_native_route_entries_total}, the sample the {@code envoy-route} decision counts
 * are estimated from: with k entries of weight w the estimate w*k has a standard error of about
 * w*sqrt(k)), keys held and their bound ({@code semlb_cost_keys}, {@code semlb_cost_keys_max}) and
 * keys evicted ({@code semlb_cost_keys_evicted_total}). Stateless.
 */
public final class FeedbackMetrics {

  private FeedbackMetrics() {}

  /** Registers the meters; they read {@code receiver} and {@code costs} at scrape time. */
  public static void bind(MeterRegistry registry, FeedbackReceiver receiver, CostStats costs) {
    FunctionCounter.builder(
            "semlb.feedback.entries",
            receiver,
            r -> r.entries() - r.unkeyed() - r.sampledOut() - r.weightedEntries())
        .tag("kind", "recorded")
        .description("access log entries Envoy reported, by what became of them")
        .register(registry);
    FunctionCounter.builder("semlb.feedback.entries", receiver, FeedbackReceiver::unkeyed)
        .tag("kind", "unkeyed")
        .register(registry);
    FunctionCounter.builder("semlb.feedback.entries", receiver, FeedbackReceiver::weightedEntries)
        .tag("kind", "sampled")
        .register(registry);
    FunctionCounter.builder("semlb.feedback.entries", receiver, FeedbackReceiver::sampledOut)
        .tag("kind", "sampled-out")
        .register(registry);
    FunctionCounter.builder("semlb.feedback.entries", receiver, FeedbackReceiver::foreign)
        .tag("kind", "foreign")
        .register(registry);
    FunctionCounter.builder(
            "semlb.feedback.native.route.entries", receiver, FeedbackReceiver::nativeRouted)
        .description(
            "entries of requests native routes decided: the sample the envoy-route decisions are"
                + " estimated from (each counts as its weight, 100 as shipped)")
        .register(registry);
    Gauge.builder("semlb.cost.keys", costs, c -> c.totals().keys())
        .description("request shapes with measured costs")
        .register(registry);
    Gauge.builder("semlb.cost.keys.max", costs, c -> c.totals().maxKeys()).register(registry);
    FunctionCounter.builder("semlb.cost.keys.evicted", costs, c -> c.totals().evicted())
        .description("request shapes dropped to stay within semlb_cost_keys_max")
        .register(registry);
  }
}
