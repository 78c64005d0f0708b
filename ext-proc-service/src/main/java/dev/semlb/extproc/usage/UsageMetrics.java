package dev.semlb.extproc.usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semlb.config.PoolModels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * LLM usage per pool and model, as exported: {@code semlb_llm_requests_total{pool,model,status}},
 * {@code semlb_llm_tokens_total{pool,model,kind="prompt|completion"}}, {@code
 * semlb_llm_time_to_first_token_seconds{pool,model}} (histogram, streamed responses) and {@code
 * semlb_llm_usage_missing_total{pool,model,reason}} (successful responses whose tokens are unknown:
 * {@code no_usage}, {@code incomplete}, {@code encoded}). Errors and 429s are {@code status} values
 * of the requests counter.
 *
 * <p>Labels are bounded by the pools file: {@code pool} is a pool that names a model, {@code model}
 * the model the response named if a pool serves it, else the pool's model if the response named
 * none, else {@code other}; an unknown pool is {@code other} too; {@code status} is the HTTP status
 * (100-599), {@code none} without response headers. Thread-safe: meters are made once per label set
 * in concurrent maps, and Micrometer meters are thread-safe.
 */
public final class UsageMetrics {

  /** The label value for a pool or model the pools file does not name. */
  public static final String OTHER = "other";

  private static final Duration[] TTFT_BUCKETS = {
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofMillis(750), Duration.ofSeconds(1), Duration.ofMillis(1500),
    Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(10),
    Duration.ofSeconds(30), Duration.ofSeconds(60)
  };

  private final MeterRegistry registry;
  private final Supplier<PoolModels> models;
  private final Map<String, Series> series = new ConcurrentSkipListMap<>();

  /** The meters of one pool and model. */
  private final class Series {
    final String pool;
    final String model;
    final Counter prompt;
    final Counter completion;
    final Timer firstToken;
    final Map<String, Counter> byStatus = new ConcurrentHashMap<>();
    final Map<String, Counter> missing = new ConcurrentHashMap<>();

    Series(String pool, String model) {
      this.pool = pool;
      this.model = model;
      prompt = tokens("prompt");
      completion = tokens("completion");
      firstToken =
          Timer.builder("semlb.llm.time.to.first.token")
              .description(
                  "from the request leaving for the pool to the first streamed content chunk")
              .tags("pool", pool, "model", model)
              .serviceLevelObjectives(TTFT_BUCKETS)
              .register(registry);
    }

    private Counter tokens(String kind) {
      return Counter.builder("semlb.llm.tokens")
          .description("tokens the model servers reported in usage, by kind")
          .tags("pool", pool, "model", model, "kind", kind)
          .register(registry);
    }

    Counter requests(String status) {
      return byStatus.computeIfAbsent(
          status,
          s ->
              Counter.builder("semlb.llm.requests")
                  .description("LLM responses observed, by HTTP status")
                  .tags("pool", pool, "model", model, "status", s)
                  .register(registry));
    }

    Counter missing(String reason) {
      return missing.computeIfAbsent(
          reason,
          r ->
              Counter.builder("semlb.llm.usage.missing")
                  .description("successful LLM responses without token usage, by reason")
                  .tags("pool", pool, "model", model, "reason", r)
                  .register(registry));
    }
  }

  /**
   * @param registry where the meters go
   * @param models the pools file's models in use, read per response (they reload)
   */
  public UsageMetrics(MeterRegistry registry, Supplier<PoolModels> models) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.models = Objects.requireNonNull(models, "models");
  }

  /** Records one observed response. */
  public void record(Observation o) {
    PoolModels config = models.get();
    String pool = config.modelByPool().containsKey(o.pool()) ? o.pool() : OTHER;
    String model;
    if (o.model() != null) {
      model = config.modelByPool().containsValue(o.model()) ? o.model() : OTHER;
    } else {
      model = config.modelByPool().getOrDefault(pool, OTHER);
    }
    Series s = series.computeIfAbsent(pool + " " + model, k -> new Series(pool, model));
    s.requests(status(o.status())).increment();
    if (o.usage()) {
      s.prompt.increment(Math.max(0, o.promptTokens()));
      s.completion.increment(Math.max(0, o.completionTokens()));
    } else if (o.status() >= 200 && o.status() < 300) {
      s.missing(o.encoded() ? "encoded" : !o.complete() ? "incomplete" : "no_usage").increment();
    }
    if (o.timeToFirstTokenNanos() >= 0) {
      s.firstToken.record(o.timeToFirstTokenNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private static String status(int status) {
    return status >= 100 && status <= 599 ? Integer.toString(status) : "none";
  }

  /**
   * The totals for the admin API ({@code GET /api/llm-usage}): per pool and model, requests by
   * status, prompt and completion tokens, and time to first token (count, p50 and p99 in ms since
   * start, interpolated within the histogram's buckets; null without samples).
   */
  public ObjectNode json() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ArrayNode list = root.putArray("models");
    for (Series s : series.values()) {
      ObjectNode entry = list.addObject().put("pool", s.pool).put("model", s.model);
      ObjectNode requests = entry.putObject("requests");
      new java.util.TreeMap<>(s.byStatus).forEach((k, v) -> requests.put(k, (long) v.count()));
      entry.put("promptTokens", (long) s.prompt.count());
      entry.put("completionTokens", (long) s.completion.count());
      HistogramSnapshot h = s.firstToken.takeSnapshot();
      ObjectNode ttft = entry.putObject("timeToFirstToken").put("count", h.count());
      putMillis(ttft, "p50", quantile(h, 0.5));
      putMillis(ttft, "p99", quantile(h, 0.99));
    }
    return root;
  }

  private static void putMillis(ObjectNode node, String name, double nanos) {
    if (Double.isNaN(nanos)) {
      node.putNull(name);
    } else {
      node.put(name, Math.round(nanos / 1e4) / 100.0);
    }
  }

  /** The q-quantile in nanoseconds, linear within its bucket; NaN without samples. */
  static double quantile(HistogramSnapshot h, double q) {
    if (h.count() == 0) {
      return Double.NaN;
    }
    double rank = q * h.count();
    double lower = 0;
    double below = 0;
    for (CountAtBucket b : h.histogramCounts()) {
      double upper = b.bucket(TimeUnit.NANOSECONDS);
      if (b.count() >= rank) {
        double inBucket = b.count() - below;
        return inBucket <= 0 ? upper : lower + (upper - lower) * (rank - below) / inBucket;
      }
      lower = upper;
      below = b.count();
    }
    return h.max(TimeUnit.NANOSECONDS); // above the last bucket
  }
}
