package dev.semlb.extproc.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semlb.classifier.config.PoolSpec;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.extproc.metrics.ModelQueueMetrics;
import dev.semlb.extproc.routing.PipelineHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.List;

/** Builds the JSON of {@code /api/stats} and {@code /api/config}. Stateless. */
final class Stats {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Stats() {}

  static ObjectNode of(PipelineHolder routing, DecisionLog decisions, MeterRegistry registry) {
    ObjectNode out = JSON.createObjectNode();
    out.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    out.put("configVersion", routing.version());
    ObjectNode byPool = JSON.createObjectNode();
    ObjectNode byStage = JSON.createObjectNode();
    double total = 0;
    for (Counter c : registry.find("semlb.decisions").counters()) {
      double n = c.count();
      total += n;
      byPool.put(c.getId().getTag("pool"), byPool.path(c.getId().getTag("pool")).asDouble() + n);
      byStage.put(
          c.getId().getTag("stage"), byStage.path(c.getId().getTag("stage")).asDouble() + n);
    }
    ObjectNode d = out.putObject("decisions");
    d.put("total", total);
    d.set("byPool", byPool);
    d.set("byStage", byStage);
    double hits = functionCount(registry, "hit");
    double misses = functionCount(registry, "miss");
    ObjectNode cache = out.putObject("cache");
    cache.put("hits", hits);
    cache.put("misses", misses);
    cache.put("hitRate", hits + misses == 0 ? 0 : hits / (hits + misses));
    Gauge size = registry.find("semlb.cache.size").gauge();
    cache.put("size", size == null ? 0 : size.value());
    // Model calls shed by admission control, by reason (the requests still got a pool).
    ObjectNode shed = out.putObject("shed");
    for (FunctionCounter c : registry.find(ModelQueueMetrics.SHED).functionCounters()) {
      shed.put(c.getId().getTag("reason"), c.count());
    }
    // Recent window from the decision log: rate over the last 10 s, latency percentiles.
    List<DecisionLog.Entry> recent = decisions.recent(1000);
    long now = System.currentTimeMillis();
    long lastTen = recent.stream().filter(e -> now - e.timeMillis() <= 10_000).count();
    out.put("recentRatePerSecond", lastTen / 10.0);
    double[] lat = recent.stream().mapToDouble(DecisionLog.Entry::latencyMs).sorted().toArray();
    ObjectNode latency = out.putObject("recentLatencyMs");
    latency.put("p50", percentile(lat, 0.50));
    latency.put("p99", percentile(lat, 0.99));
    latency.put("samples", lat.length);
    return out;
  }

  private static double functionCount(MeterRegistry registry, String result) {
    FunctionCounter c =
        registry.find("semlb.cache.requests").tag("result", result).functionCounter();
    return c == null ? 0 : c.count();
  }

  private static double percentile(double[] sorted, double q) {
    return sorted.length == 0
        ? 0
        : sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  static ObjectNode config(PipelineHolder routing) {
    RoutingConfig c = routing.get().config();
    ObjectNode out = JSON.createObjectNode();
    out.put("version", routing.version());
    out.put("file", routing.file().toString());
    out.put("defaultPool", c.defaultPool());
    ArrayNode pools = out.putArray("pools");
    for (PoolSpec p : c.pools()) {
      pools
          .addObject()
          .put("name", p.name())
          .put("description", p.description())
          .put("examples", p.examples().size());
    }
    ArrayNode rules = out.putArray("rules");
    for (Rule r : c.rules()) {
      rules
          .addObject()
          .put("name", r.name())
          .put("pool", r.pool())
          .put("confidence", r.confidence());
    }
    // Field by field, as the cache's: a Duration has no JSON form without a Jackson module.
    out.putObject("embedding")
        .put("enabled", c.embedding().enabled())
        .put("threshold", c.embedding().threshold())
        .put("margin", c.embedding().margin())
        .put("marginWithoutBody", c.embedding().marginWithoutBody())
        .put("neighbors", c.embedding().neighbors())
        .put("maxWords", c.embedding().maxWords())
        .put("useDescriptions", c.embedding().useDescriptions())
        .put("maxQueueWaitMs", c.embedding().maxQueueWait().toMillis());
    out.putObject("cache")
        .put("enabled", c.cache().enabled())
        .put("maxEntries", c.cache().maxEntries())
        .put("ttlSeconds", c.cache().ttl().toSeconds());
    out.put("budgetMs", c.budget().toMillis());
    out.putObject("llm").put("enabled", c.llm().enabled()).put("model", c.llm().model());
    return out;
  }
}
