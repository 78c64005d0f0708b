package dev.semlb.classifier.config;

import dev.semlb.classifier.rules.Rule;
import dev.semlb.classifier.view.ViewLimits;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A complete, validated routing configuration: the pools, the default pool, ordered rules
 * and the request-view limits. Immutable; built by {@link RoutingConfigLoader}.
 *
 * <p>Invariants: pool names are unique; the default pool and every rule's pool are among
 * the pools; rule names are unique.
 *
 * @param defaultPool the pool used when no stage decides
 * @param pools the pools, in config order
 * @param rules the rules, in evaluation order
 * @param limits how much of each request is read
 */
public record RoutingConfig(String defaultPool, List<PoolSpec> pools, List<Rule> rules, ViewLimits limits) {

  /** Checks the invariants. */
  public RoutingConfig {
    Objects.requireNonNull(defaultPool, "defaultPool");
    Objects.requireNonNull(limits, "limits");
    pools = List.copyOf(pools);
    rules = List.copyOf(rules);
    Set<String> names = new HashSet<>();
    for (PoolSpec pool : pools) {
      if (!names.add(pool.name())) {
        throw new IllegalArgumentException("pools: '" + pool.name() + "' twice (expected: unique names)");
      }
    }
    if (!names.contains(defaultPool)) {
      throw new IllegalArgumentException("defaultPool: '" + defaultPool + "' (expected: one of " + names + ")");
    }
    Set<String> ruleNames = new HashSet<>();
    for (Rule rule : rules) {
      if (!names.contains(rule.pool())) {
        throw new IllegalArgumentException("rule '" + rule.name() + "' pool: '" + rule.pool()
            + "' (expected: one of " + names + ")");
      }
      if (!ruleNames.add(rule.name())) {
        throw new IllegalArgumentException("rules: '" + rule.name() + "' twice (expected: unique names)");
      }
    }
  }

  /** The pool names, in config order. */
  public List<String> poolNames() {
    return pools.stream().map(PoolSpec::name).toList();
  }
}
