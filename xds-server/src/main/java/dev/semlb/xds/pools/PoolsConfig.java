package dev.semlb.xds.pools;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every pool the xds-server serves. Immutable; invariant: pool names are unique.
 *
 * @param pools the pools, in file order
 */
public record PoolsConfig(List<Pool> pools) {

  /** Copies and checks the pools. */
  public PoolsConfig {
    pools = List.copyOf(pools);
    Set<String> names = new HashSet<>();
    for (Pool pool : pools) {
      if (!names.add(pool.name())) {
        throw new IllegalArgumentException("pools: '" + pool.name() + "' twice (expected: unique names)");
      }
    }
  }
}
