package dev.semlb.xds.pools;

import java.time.Duration;
import java.util.List;
import dev.semlb.config.PoolName;
import java.util.Objects;

/**
 * A pool of upstreams that Envoy reaches as one cluster. Immutable.
 *
 * @param name pool name, as the classifier emits it in {@code x-semantic-pool}
 * @param lbPolicy how traffic is spread over the endpoints. The default is round robin
 * @param connectTimeout upstream connect timeout. The default is 1s
 * @param endpoints the upstreams; may be empty (Envoy then answers 503 for the pool)
 */
public record Pool(String name, LbPolicy lbPolicy, Duration connectTimeout, List<PoolEndpoint> endpoints) {

  /** Validates the fields. */
  public Pool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lbPolicy, "lbPolicy");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    endpoints = List.copyOf(endpoints);
    PoolName.check("name", name);
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
    }
  }

  /** The Envoy cluster that serves this pool: {@code semlb-pool-<name>}. */
  public String clusterName() {
    return clusterName(name);
  }

  /** The Envoy cluster name for a pool name. */
  public static String clusterName(String pool) {
    return "semlb-pool-" + pool;
  }
}
