package dev.semlb.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares the pools {@code routing.yaml} routes to with the pools {@code pools.yaml} serves, since
 * the two files are edited apart and can drift: a pool the classifier picks that Envoy has no route
 * for (its requests silently land in the default pool), a served pool nothing is routed to, or two
 * different defaults. Stateless.
 */
public final class PoolListCheck {

  private PoolListCheck() {}

  /** Every mismatch, one sentence each naming both files; empty when they agree. */
  public static List<String> compare(PoolList routing, PoolList pools) {
    List<String> problems = new ArrayList<>();
    for (String name : routing.poolNames()) {
      if (!pools.poolNames().contains(name)) {
        problems.add(
            "pool '"
                + name
                + "': in "
                + routing.file()
                + " but not in "
                + pools.file()
                + " (Envoy has no route for it, so its requests go to "
                + pools.file()
                + "'s default pool '"
                + pools.defaultPool()
                + "')");
      }
    }
    for (String name : pools.poolNames()) {
      if (!routing.poolNames().contains(name) && !pools.fallbackTargets().contains(name)) {
        problems.add(
            "pool '"
                + name
                + "': in "
                + pools.file()
                + " but never routed to by "
                + routing.file()
                + " (and no pool falls back to it, so its endpoints get no traffic)");
      }
    }
    if (!routing.defaultPool().equals(pools.defaultPool())) {
      problems.add(
          "defaultPool: '"
              + routing.defaultPool()
              + "' in "
              + routing.file()
              + " but '"
              + pools.defaultPool()
              + "' in "
              + pools.file()
              + " (expected: the same pool; undecided requests "
              + "and requests without a pool header would be served by different pools)");
    }
    return List.copyOf(problems);
  }
}
