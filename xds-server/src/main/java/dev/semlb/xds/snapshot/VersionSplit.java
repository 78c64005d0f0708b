package dev.semlb.xds.snapshot;

import dev.semlb.xds.pools.PoolEndpoint;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a pool's version weights (e.g. blue 90, green 10) into Envoy endpoint weights, so that
 * Envoy's weighted balancing gives each version its share whatever the number of endpoints per
 * version. Within a version, endpoints keep their relative weights.
 *
 * <p>A version with weight 0, or not named while weights are set, gets no endpoints in the
 * assignment. If that would leave the pool with none at all (say every endpoint is of an unnamed
 * version), the weights are ignored instead: a weight setting never takes a pool's whole capacity
 * away.
 */
final class VersionSplit {

  /** Scale of the computed weights: a 100% version spreads this much over its endpoints. */
  static final int SCALE = 1000;

  private VersionSplit() {}

  /** Endpoint to Envoy weight; endpoints left out get no traffic. Keeps the input order. */
  static Map<PoolEndpoint, Integer> weights(
      List<PoolEndpoint> endpoints, Map<String, Integer> versionWeights) {
    Map<PoolEndpoint, Integer> out = new LinkedHashMap<>();
    if (versionWeights.isEmpty() || !anyServed(endpoints, versionWeights)) {
      endpoints.forEach(e -> out.put(e, e.weight()));
      return out;
    }
    Map<String, Integer> perVersion = new HashMap<>();
    for (PoolEndpoint e : endpoints) {
      perVersion.merge(e.version(), e.weight(), Integer::sum);
    }
    for (PoolEndpoint e : endpoints) {
      int share = versionWeights.getOrDefault(e.version(), 0);
      if (share > 0) {
        long weight = Math.round((double) share * SCALE * e.weight() / perVersion.get(e.version()));
        out.put(e, (int) Math.max(1, weight));
      }
    }
    return out;
  }

  private static boolean anyServed(
      List<PoolEndpoint> endpoints, Map<String, Integer> versionWeights) {
    return endpoints.stream().anyMatch(e -> versionWeights.getOrDefault(e.version(), 0) > 0);
  }
}
