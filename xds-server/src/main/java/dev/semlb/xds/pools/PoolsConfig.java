package dev.semlb.xds.pools;

import dev.semlb.config.PoolList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every pool the xds-server serves and the default pool. Immutable.
 *
 * <p>Invariants: pool names are unique; the default pool is one of them; every fallback names
 * another existing pool, at most once. A pool whose fallback was not written falls back to the
 * default pool (the default pool itself to nothing).
 *
 * @param pools the pools, in file order, with fallbacks resolved
 * @param defaultPool the pool that takes requests without (or with an unknown) pool header
 * @param models the model of each pool that names one ({@code pools[].model}, LLM gateway); its
 *     routes observe LLM usage and its endpoints carry it (per-attempt model rewrite). Empty when
 *     none does
 */
public record PoolsConfig(List<Pool> pools, String defaultPool, Map<String, String> models) {

  /** Pools that name no model. */
  public PoolsConfig(List<Pool> pools, String defaultPool) {
    this(pools, defaultPool, Map.of());
  }

  /** Copies and checks the pools and resolves unwritten fallbacks. */
  public PoolsConfig {
    java.util.Objects.requireNonNull(models, "models");
    Map<String, Pool> byName = new LinkedHashMap<>();
    for (Pool pool : pools) {
      if (byName.put(pool.name(), pool) != null) {
        throw new IllegalArgumentException(
            "pools: '" + pool.name() + "' twice (expected: unique names)");
      }
    }
    if (!byName.containsKey(defaultPool)) {
      throw new IllegalArgumentException(
          "defaultPool: '" + defaultPool + "' (expected: one of " + byName.keySet() + ")");
    }
    List<Pool> resolved = new ArrayList<>();
    for (Pool pool : pools) {
      List<String> fallback = pool.policy().fallback();
      if (fallback == null) {
        fallback = pool.name().equals(defaultPool) ? List.of() : List.of(defaultPool);
      }
      for (String other : fallback) {
        if (other.equals(pool.name()) || !byName.containsKey(other)) {
          throw new IllegalArgumentException(
              "pools."
                  + pool.name()
                  + ".fallback: '"
                  + other
                  + "' (expected: another pool, one of "
                  + byName.keySet()
                  + ")");
        }
      }
      if (fallback.stream().distinct().count() != fallback.size()) {
        throw new IllegalArgumentException(
            "pools."
                + pool.name()
                + ".fallback: "
                + fallback
                + " (expected: each pool at most once)");
      }
      resolved.add(pool.withPolicy(pool.policy().withFallback(fallback)));
    }
    pools = List.copyOf(resolved);
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    for (String pool : models.keySet()) {
      if (!byName.containsKey(pool)) {
        throw new IllegalArgumentException(
            "models: '" + pool + "' (expected: one of " + byName.keySet() + ")");
      }
    }
  }

  /** Whether {@code pool} names a model (its routes observe LLM usage). */
  public boolean servesModel(String pool) {
    return models.containsKey(pool);
  }

  /** The model {@code pool} serves, if it names one. */
  public Optional<String> modelOf(String pool) {
    return Optional.ofNullable(models.get(pool));
  }

  /** The pool named {@code name}. */
  public Optional<Pool> pool(String name) {
    return pools.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The pool names, in order. */
  public List<String> poolNames() {
    return pools.stream().map(Pool::name).toList();
  }

  /** The pool names, default and fallback targets, for {@link dev.semlb.config.PoolListCheck}. */
  public PoolList poolList(String file) {
    return new PoolList(
        file,
        poolNames(),
        defaultPool,
        pools.stream()
            .flatMap(p -> p.policy().fallback().stream())
            .collect(java.util.stream.Collectors.toSet()));
  }

  /** This config with one pool's rate limit replaced (empty: unlimited). */
  public PoolsConfig withRateLimit(String pool, Optional<RateLimit> limit) {
    List<Pool> changed =
        pools.stream()
            .map(p -> p.name().equals(pool) ? p.withPolicy(p.policy().withRateLimit(limit)) : p)
            .toList();
    return new PoolsConfig(changed, defaultPool);
  }

  /** This config with one pool's version weights replaced (blue/green shift). */
  public PoolsConfig withVersionWeights(String pool, Map<String, Integer> weights) {
    List<Pool> changed =
        pools.stream()
            .map(
                p ->
                    p.name().equals(pool)
                        ? p.withPolicy(p.policy().withVersionWeights(weights))
                        : p)
            .toList();
    return new PoolsConfig(changed, defaultPool, models);
  }
}
