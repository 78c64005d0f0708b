package dev.semlb.extproc.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semlb.classifier.cost.CostClass;
import dev.semlb.classifier.cost.CostSnapshot;
import dev.semlb.classifier.cost.CostStats;
import dev.semlb.classifier.cost.MeasuredSettings;

/** Builds the JSON of {@code /api/costs}: the measured cost per request shape. Stateless. */
final class CostsJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CostsJson() {}

  static ObjectNode of(CostStats costs, MeasuredSettings measured, int limit) {
    ObjectNode out = JSON.createObjectNode();
    CostStats.Totals totals = costs.totals();
    ObjectNode t = out.putObject("totals");
    t.put("keys", totals.keys());
    t.put("maxKeys", totals.maxKeys());
    t.put("recorded", totals.recorded());
    t.put("evicted", totals.evicted());
    t.put("rejected", totals.rejected());
    ObjectNode m = out.putObject("measured");
    m.put("enabled", measured.enabled());
    m.put("minSamples", measured.minSamples());
    m.put("maxErrorRate", measured.maxErrorRate());
    m.put("hysteresis", measured.hysteresis());
    ObjectNode sampling = m.putObject("sampling");
    sampling.put("fullUntil", measured.sampling().fullUntil());
    sampling.put("oneIn", measured.sampling().oneIn());
    ObjectNode classes = m.putObject("classes");
    for (CostClass c : measured.classes()) {
      classes.put(c.pool(), c.toString());
    }
    ArrayNode keys = out.putArray("keys");
    for (CostSnapshot s : costs.top(limit)) {
      keys.add(key(s));
    }
    return out;
  }

  static ObjectNode key(CostSnapshot s) {
    ObjectNode k = JSON.createObjectNode();
    k.put("key", s.key());
    k.put("count", s.count());
    k.put("errors", s.errors());
    k.put("errorRate", round(s.errorRate()));
    k.put("total", s.total());
    ObjectNode q = k.putObject("millis");
    for (double quantile : CostClass.QUANTILES) {
      double v = s.quantile(quantile);
      if (Double.isNaN(v)) {
        q.putNull(CostClass.label(quantile));
      } else {
        q.put(CostClass.label(quantile), round(v));
      }
    }
    k.put("firstPool", s.firstPool());
    k.set("pools", JSON.valueToTree(s.pools()));
    k.put("verdict", s.verdict());
    k.put("moved", s.moved());
    return k;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
