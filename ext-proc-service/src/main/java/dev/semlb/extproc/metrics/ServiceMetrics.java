package dev.semlb.extproc.metrics;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.cache.CaffeineDecisionCache;
import dev.semlb.classifier.llm.LlmCounters;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.extproc.processing.DecisionListener;
import dev.semlb.extproc.routing.PipelineHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The ext-proc-service's Prometheus metrics (names as exported): {@code
 * semlb_decisions_total{pool,stage}}, {@code semlb_classification_seconds{stage}} (histogram),
 * {@code semlb_fallbacks_total{reason}} (timeout, low_confidence, error), {@code
 * semlb_extproc_streams_active}, {@code semlb_extproc_stream_errors_total}, {@code
 * semlb_cache_requests_total{result}}, {@code semlb_cache_evictions_total}, {@code
 * semlb_cache_size}, {@code semlb_config_reloads_total{result}}, {@code semlb_config_version},
 * {@code semlb_llm_calls_total}, {@code semlb_llm_timeouts_total}, {@code semlb_llm_errors_total},
 * {@code semlb_llm_invalid_answers_total}, plus JVM and process metrics. No label ever carries
 * request content beyond the pool and stage names. Thread-safe.
 */
public final class ServiceMetrics implements DecisionListener {

  private final MeterRegistry registry;
  private final AtomicInteger activeStreams = new AtomicInteger();
  private final Counter streamErrors;

  /** One latency histogram per deciding stage, registered up front: no lookup per request. */
  private final Map<Stage, Timer> latency = new EnumMap<>(Stage.class);

  /** Decision counters by "pool stage"; pools can change with a reload, so made on first use. */
  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();

  /**
   * Registers every meter; cache, config and LLM figures are read from {@code routing} and {@code
   * llm} when scraped.
   */
  public ServiceMetrics(MeterRegistry registry, PipelineHolder routing, LlmCounters llm) {
    this.registry = registry;
    Gauge.builder("semlb.extproc.streams.active", activeStreams, AtomicInteger::get)
        .description("ext_proc streams open now")
        .register(registry);
    streamErrors =
        Counter.builder("semlb.extproc.stream.errors")
            .description("ext_proc streams or phases that failed")
            .register(registry);
    cacheCounter("hit", routing, CacheStats::hitCount);
    cacheCounter("miss", routing, CacheStats::missCount);
    FunctionCounter.builder("semlb.cache.evictions", routing, r -> stats(r).evictionCount())
        .description("decisions evicted from the cache")
        .register(registry);
    Gauge.builder(
            "semlb.cache.size",
            routing,
            r -> r.get().cache() instanceof CaffeineDecisionCache c ? c.size() : 0)
        .description("decisions cached now")
        .register(registry);
    for (Stage stage : Stage.values()) {
      latency.put(
          stage,
          Timer.builder("semlb.classification")
              .description("time to classify a request, by deciding stage")
              .tag("stage", stage.label())
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofNanos(1_000))
              .maximumExpectedValue(Duration.ofSeconds(1))
              .register(registry));
    }
    FunctionCounter.builder("semlb.config.reloads", routing, PipelineHolder::reloadsSucceeded)
        .tag("result", "success")
        .description("routing config reloads")
        .register(registry);
    FunctionCounter.builder("semlb.config.reloads", routing, PipelineHolder::reloadsFailed)
        .tag("result", "failure")
        .description("routing config reloads")
        .register(registry);
    Gauge.builder("semlb.config.version", routing, PipelineHolder::version)
        .description("version of the routing table in use")
        .register(registry);
    FunctionCounter.builder("semlb.llm.calls", llm, LlmCounters::calls)
        .description("calls to the LLM server")
        .register(registry);
    FunctionCounter.builder("semlb.llm.timeouts", llm, LlmCounters::timeouts)
        .description("LLM calls with no answer in time")
        .register(registry);
    FunctionCounter.builder("semlb.llm.errors", llm, LlmCounters::errors)
        .description("LLM calls that failed (server down, HTTP error, queue full)")
        .register(registry);
    FunctionCounter.builder("semlb.llm.invalid.answers", llm, LlmCounters::invalidAnswers)
        .description("LLM answers that named no configured pool")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private void cacheCounter(
      String result, PipelineHolder routing, ToDoubleFunction<CacheStats> value) {
    FunctionCounter.builder("semlb.cache.requests", routing, r -> value.applyAsDouble(stats(r)))
        .tag("result", result)
        .description("decision cache lookups")
        .register(registry);
  }

  private static CacheStats stats(PipelineHolder routing) {
    return routing.get().cache() instanceof CaffeineDecisionCache c
        ? c.stats()
        : CacheStats.empty();
  }

  @Override
  public void onDecision(RequestView request, Decision decision, long nanos) {
    count(decision, 1);
    if (decision.stage() != Stage.ENVOY_ROUTE) { // Envoy decided: no time was spent here
      latency.get(decision.stage()).record(nanos, TimeUnit.NANOSECONDS);
    }
    if (decision.stage() == Stage.DEFAULT || decision.reason().contains("budget spent")) {
      registry.counter("semlb.fallbacks", "reason", fallbackReason(decision)).increment();
    }
  }

  /** Counts {@code weight} decisions; no latency (Envoy decided, no time was spent here). */
  @Override
  public void onSampledDecision(RequestView request, Decision decision, long weight) {
    count(decision, weight);
  }

  private void count(Decision decision, long weight) {
    String stage = decision.stage().label();
    decisions
        .computeIfAbsent(
            decision.pool() + " " + stage,
            key -> registry.counter("semlb.decisions", "pool", decision.pool(), "stage", stage))
        .increment(weight);
  }

  /** Why a request got the default pool or a best guess: timeout or low confidence. */
  static String fallbackReason(Decision decision) {
    return decision.reason().toLowerCase(Locale.ROOT).contains("budget spent")
        ? "timeout"
        : "low_confidence";
  }

  @Override
  public void onStreamOpened() {
    activeStreams.incrementAndGet();
  }

  @Override
  public void onStreamClosed(boolean failed) {
    activeStreams.decrementAndGet();
    if (failed) {
      streamErrors.increment();
    }
  }

  @Override
  public void onStreamError() {
    streamErrors.increment();
    registry.counter("semlb.fallbacks", "reason", "error").increment();
  }
}
