package dev.semlb.xds.snapshot;

import com.google.protobuf.UInt32Value;
import dev.semlb.classifier.envoyroute.NativeRoutePlan;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.pools.PoolEndpoint;
import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.registry.SourcedEndpoint;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Envoy resources for the served pools: one EDS cluster per pool (fetched over ADS), one load
 * assignment per cluster, and the route table. Immutable; equal inputs and DNS answers give equal
 * resources, so a publisher can tell when nothing changed.
 *
 * <p>A pool's load assignment holds its own endpoints at priority 0 and the endpoints of each
 * fallback pool at the next priorities, so Envoy moves the traffic to a fallback as the pool's
 * endpoints turn unhealthy, and back as they recover. Empty levels are skipped, so priorities stay
 * contiguous.
 *
 * <p>LLM gateway (pools that name a model): each endpoint of such a pool carries its model in its
 * metadata ({@code filter_metadata.semlb.model}), at whatever priority of whichever cluster it
 * appears, and a cluster whose priorities serve more than one model (a pool and a fallback with
 * another model, or none) runs the upstream model filter ({@link UpstreamModelFilter}) on each
 * attempt. Without models the resources are exactly as before.
 *
 * <p>Invariant: every cluster has exactly one load assignment (possibly with no endpoints) and
 * every route names one of the clusters, so a snapshot built from this is consistent.
 *
 * @param clusters one per pool, in config order
 * @param loadAssignments one per cluster, in the same order
 * @param routes the route table (RDS)
 */
public record PoolResources(
    List<Cluster> clusters,
    List<ClusterLoadAssignment> loadAssignments,
    RouteConfiguration routes) {

  /** Copies the lists. */
  public PoolResources {
    clusters = List.copyOf(clusters);
    loadAssignments = List.copyOf(loadAssignments);
  }

  /**
   * Resolves the hosts (may block on DNS) and builds the resources; see {@link #build(ServedPools,
   * ResolvedHosts)}.
   */
  public static PoolResources build(ServedPools served, HostResolver resolver) {
    return build(served, ResolvedHosts.resolve(served, resolver));
  }

  /**
   * Builds the resources from hosts resolved beforehand; never blocks. An endpoint whose host did
   * not resolve is left out rather than failing the whole pool; the next refresh tries it again.
   */
  public static PoolResources build(ServedPools served, ResolvedHosts hosts) {
    return build(served, hosts, NativeRoutePlan.NONE);
  }

  /** As {@link #build(ServedPools, ResolvedHosts)}, with {@code plan}'s native routes first. */
  public static PoolResources build(ServedPools served, ResolvedHosts hosts, NativeRoutePlan plan) {
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> assignments = new ArrayList<>();
    PoolsConfig config = served.config();
    for (Pool pool : config.pools()) {
      ClusterLoadAssignment.Builder cla =
          ClusterLoadAssignment.newBuilder().setClusterName(pool.clusterName());
      List<Pool> levels = new ArrayList<>();
      levels.add(pool);
      pool.policy().fallback().forEach(name -> config.pool(name).ifPresent(levels::add));
      // Attempts that may reach a host serving another model than the pool's own (a fallback
      // pool's) get their body's model set to the host's; within one model there is nothing to do.
      boolean mixed =
          levels.stream().map(l -> config.modelOf(l.name()).orElse("")).distinct().count() > 1;
      clusters.add(Clusters.of(pool, mixed));
      int priority = 0;
      for (Pool level : levels) {
        LocalityLbEndpoints endpoints =
            endpoints(
                level,
                served.endpointsOf(level.name()),
                hosts,
                priority,
                config.modelOf(level.name()).map(UpstreamModelFilter::hostMetadata).orElse(null));
        if (endpoints.getLbEndpointsCount() > 0) {
          cla.addEndpoints(endpoints);
          priority++;
        }
      }
      assignments.add(cla.build());
    }
    return new PoolResources(clusters, assignments, Routes.of(served.config(), plan));
  }

  private static LocalityLbEndpoints endpoints(
      Pool pool,
      List<SourcedEndpoint> sourced,
      ResolvedHosts hosts,
      int priority,
      Metadata metadata) {
    List<PoolEndpoint> plain = sourced.stream().map(SourcedEndpoint::endpoint).toList();
    Map<PoolEndpoint, Integer> weights =
        VersionSplit.weights(plain, pool.policy().versionWeights());
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder().setPriority(priority);
    for (Map.Entry<PoolEndpoint, Integer> entry : weights.entrySet()) {
      PoolEndpoint endpoint = entry.getKey();
      for (String address : hosts.of(endpoint.host()).orElse(List.of())) {
        LbEndpoint.Builder lb = LbEndpoint.newBuilder();
        if (metadata != null) {
          lb.setMetadata(metadata);
        }
        locality.addLbEndpoints(
            lb.setEndpoint(
                    Endpoint.newBuilder()
                        .setAddress(
                            Address.newBuilder()
                                .setSocketAddress(
                                    SocketAddress.newBuilder()
                                        .setAddress(address)
                                        .setPortValue(endpoint.port()))))
                .setLoadBalancingWeight(UInt32Value.of(entry.getValue())));
      }
    }
    return locality.build();
  }

  /** Endpoints per cluster, own plus fallback, for logs. */
  public String summary() {
    StringBuilder out = new StringBuilder();
    for (ClusterLoadAssignment cla : loadAssignments) {
      out.append(out.length() == 0 ? "" : ", ").append(cla.getClusterName()).append('=');
      List<String> levels =
          cla.getEndpointsList().stream()
              .map(l -> Integer.toString(l.getLbEndpointsCount()))
              .toList();
      out.append(levels.isEmpty() ? "0" : String.join("+", levels));
    }
    return out.toString();
  }
}
