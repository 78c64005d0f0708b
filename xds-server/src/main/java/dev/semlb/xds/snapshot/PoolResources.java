package dev.semlb.xds.snapshot;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.pools.PoolEndpoint;
import dev.semlb.xds.pools.PoolsConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Envoy resources for a set of pools: one EDS cluster per pool, fetched over ADS, and
 * one load assignment per cluster. Immutable; equal inputs and DNS answers give equal
 * resources, so a publisher can tell when nothing changed.
 *
 * <p>Invariant: every cluster has exactly one load assignment (possibly with no endpoints),
 * so a snapshot built from this is always consistent.
 *
 * @param clusters one per pool, in config order
 * @param loadAssignments one per cluster, in the same order
 */
public record PoolResources(List<Cluster> clusters, List<ClusterLoadAssignment> loadAssignments) {

  private static final Logger log = LoggerFactory.getLogger(PoolResources.class);

  /** Copies the lists. */
  public PoolResources {
    clusters = List.copyOf(clusters);
    loadAssignments = List.copyOf(loadAssignments);
  }

  /**
   * Builds the resources. An endpoint whose host does not resolve is left out (and logged)
   * rather than failing the whole pool; the next refresh tries it again.
   */
  public static PoolResources build(PoolsConfig config, HostResolver resolver) {
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> assignments = new ArrayList<>();
    for (Pool pool : config.pools()) {
      clusters.add(cluster(pool));
      assignments.add(loadAssignment(pool, resolver));
    }
    return new PoolResources(clusters, assignments);
  }

  private static Cluster cluster(Pool pool) {
    return Cluster.newBuilder()
        .setName(pool.clusterName())
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
            .setEdsConfig(ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)))
        .setConnectTimeout(Duration.newBuilder()
            .setSeconds(pool.connectTimeout().getSeconds())
            .setNanos(pool.connectTimeout().getNano()))
        .setLbPolicy(switch (pool.lbPolicy()) {
          case ROUND_ROBIN -> Cluster.LbPolicy.ROUND_ROBIN;
          case LEAST_REQUEST -> Cluster.LbPolicy.LEAST_REQUEST;
          case RANDOM -> Cluster.LbPolicy.RANDOM;
        })
        .build();
  }

  private static ClusterLoadAssignment loadAssignment(Pool pool, HostResolver resolver) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (PoolEndpoint endpoint : pool.endpoints()) {
      List<String> addresses;
      try {
        addresses = resolver.resolve(endpoint.host());
      } catch (UnknownHostException e) {
        log.warn("pool {}: cannot resolve {}; leaving it out for now", pool.name(), endpoint.host());
        continue;
      }
      for (String address : addresses) {
        locality.addLbEndpoints(LbEndpoint.newBuilder()
            .setEndpoint(Endpoint.newBuilder()
                .setAddress(Address.newBuilder()
                    .setSocketAddress(SocketAddress.newBuilder()
                        .setAddress(address)
                        .setPortValue(endpoint.port()))))
            .setLoadBalancingWeight(UInt32Value.of(endpoint.weight())));
      }
    }
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(pool.clusterName())
        .addEndpoints(locality)
        .build();
  }

  /** How many endpoints each cluster has, for logs. */
  public String summary() {
    StringBuilder out = new StringBuilder();
    for (ClusterLoadAssignment cla : loadAssignments) {
      int n = cla.getEndpointsList().stream().mapToInt(LocalityLbEndpoints::getLbEndpointsCount).sum();
      out.append(out.length() == 0 ? "" : ", ").append(cla.getClusterName()).append('=').append(n);
    }
    return out.toString();
  }
}
