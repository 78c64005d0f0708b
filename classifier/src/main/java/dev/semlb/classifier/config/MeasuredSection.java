package dev.semlb.classifier.config;

import dev.semlb.classifier.cost.CostClass;
import dev.semlb.classifier.cost.FeedbackSampling;
import dev.semlb.classifier.cost.MeasuredSettings;
import dev.semlb.config.ConfigException;
import dev.semlb.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code measured} section of {@code routing.yaml}:
 *
 * <pre>
 * measured:
 *   enabled: true            # default true when the section is there
 *   minSamples: 20           # successful requests in the window before a key is decided on
 *   maxErrorRate: 0.5        # keys failing more often are left to the other stages
 *   hysteresis: 0.25         # how far back across its bound a key must go to leave a class
 *   classes:                 # per pool, tried in order
 *     fast-path: p50 &lt;= 25ms
 *     high-compute: p50 &gt;= 250ms
 *   sampling:                # cost feedback for keys with plenty of evidence
 *     fullUntil: 1000        # every request reported while the key's window holds fewer
 *     oneIn: 10              # then 1 in 10, each counted 10 times (1: report every request)
 * </pre>
 *
 * Without the section the stage is off and the sampling is the default. Stateless.
 */
final class MeasuredSection {

  private MeasuredSection() {}

  static MeasuredSettings read(ConfigNode root, Set<String> pools) throws ConfigException {
    if (!root.has("measured")) {
      return MeasuredSettings.OFF;
    }
    ConfigNode node =
        root.get("measured")
            .onlyKeys("enabled", "minSamples", "maxErrorRate", "hysteresis", "classes", "sampling");
    List<CostClass> classes = new ArrayList<>();
    if (node.has("classes")) {
      ConfigNode classNode = node.get("classes").requireObject();
      for (String pool : classNode.keys()) {
        ConfigNode value = classNode.get(pool);
        if (!pools.contains(pool)) {
          throw value.invalid("a class for one of the pools " + pools + ", not '" + pool + "'");
        }
        String expected = CostClass.problem(value.asText());
        if (expected != null) {
          throw value.invalid(expected);
        }
        classes.add(CostClass.parse(pool, value.asText()));
      }
    }
    boolean enabled = node.bool("enabled", true);
    if (enabled && classes.isEmpty()) {
      throw node.invalid("a 'classes' map with at least one pool's cost class (or enabled: false)");
    }
    int minSamples =
        (int) node.integer("minSamples", MeasuredSettings.DEFAULT_MIN_SAMPLES, 1, 1_000_000);
    FeedbackSampling sampling = sampling(node, minSamples);
    return new MeasuredSettings(
        enabled,
        minSamples,
        node.number("maxErrorRate", MeasuredSettings.DEFAULT_MAX_ERROR_RATE, 0, 1),
        node.number("hysteresis", MeasuredSettings.DEFAULT_HYSTERESIS, 0, 0.95),
        classes,
        sampling);
  }

  private static FeedbackSampling sampling(ConfigNode measured, int minSamples)
      throws ConfigException {
    // A key reaches its evidence threshold before it is sampled.
    long fullUntil = Math.max(FeedbackSampling.DEFAULT.fullUntil(), minSamples);
    if (!measured.has("sampling")) {
      return new FeedbackSampling(fullUntil, FeedbackSampling.DEFAULT.oneIn());
    }
    ConfigNode node = measured.get("sampling").onlyKeys("fullUntil", "oneIn");
    return new FeedbackSampling(
        node.integer("fullUntil", fullUntil, minSamples, Integer.MAX_VALUE),
        (int)
            node.integer(
                "oneIn", FeedbackSampling.DEFAULT.oneIn(), 1, FeedbackSampling.MAX_ONE_IN));
  }
}
