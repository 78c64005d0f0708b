package dev.semlb.extproc.metrics;

import dev.semlb.classifier.embedding.ModelQueue;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Exports the model queue's admission control: model calls shed ({@code semlb_shed_total{reason}},
 * reason {@code over-budget}, {@code queue-full} or {@code expired}; the request still got a pool,
 * from the stages that need no model call), calls waiting ({@code semlb_model_queue_waiting}) and
 * the recent mean call time the admission estimate uses ({@code semlb_model_call_mean_seconds}).
 * Stateless.
 */
public final class ModelQueueMetrics {

  /** The meter name of the shed counters (also read by {@code /api/stats}). */
  public static final String SHED = "semlb.shed";

  private ModelQueueMetrics() {}

  /** Registers the meters; they read {@code queue} at scrape time. */
  public static void bind(MeterRegistry registry, ModelQueue queue) {
    for (ModelQueue.Shed reason : ModelQueue.Shed.values()) {
      FunctionCounter.builder(SHED, queue, q -> q.shed(reason))
          .tag("reason", reason.label())
          .description("model calls not made because they could not finish within the budget")
          .register(registry);
    }
    Gauge.builder("semlb.model.queue.waiting", queue, ModelQueue::waiting)
        .description("model calls submitted and not yet started")
        .register(registry);
    Gauge.builder(
            "semlb.model.call.mean",
            queue,
            q -> Double.isNaN(q.meanCallNanos()) ? 0 : q.meanCallNanos() / 1e9)
        .baseUnit("seconds")
        .description("recent mean time of one model call (admission control's estimate)")
        .register(registry);
  }
}
