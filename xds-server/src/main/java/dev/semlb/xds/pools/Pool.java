package dev.semlb.xds.pools;

import dev.semlb.config.PoolName;
import dev.semlb.wire.WireContract;
import java.util.List;
import java.util.Objects;

/**
 * A pool of upstreams that Envoy reaches as one cluster, as written in {@code pools.yaml}.
 * Immutable.
 *
 * @param name pool name, as the classifier emits it in {@code x-semantic-pool}
 * @param policy load balancing, health, timeouts, retries, fallback and version weights
 * @param endpoints the upstreams listed in the file; more may register at run time, so this may be
 *     empty
 * @param kubernetes Services whose ready endpoints join the pool (when the xds-server runs with
 *     Kubernetes discovery); may be empty
 */
public record Pool(
    String name, PoolPolicy policy, List<PoolEndpoint> endpoints, List<ServiceRef> kubernetes) {

  /** Validates the fields. */
  public Pool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policy, "policy");
    endpoints = List.copyOf(endpoints);
    kubernetes = List.copyOf(kubernetes);
    PoolName.check("name", name);
  }

  /** A pool without Kubernetes Services. */
  public Pool(String name, PoolPolicy policy, List<PoolEndpoint> endpoints) {
    this(name, policy, endpoints, List.of());
  }

  /** The Envoy cluster that serves this pool: {@code semlb-pool-<name>}. */
  public String clusterName() {
    return clusterName(name);
  }

  /** The Envoy cluster name for a pool name. */
  public static String clusterName(String pool) {
    return WireContract.CLUSTER_PREFIX + pool;
  }

  /** This pool with another policy. */
  public Pool withPolicy(PoolPolicy other) {
    return new Pool(name, other, endpoints, kubernetes);
  }
}
