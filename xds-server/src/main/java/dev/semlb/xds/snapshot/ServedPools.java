package dev.semlb.xds.snapshot;

import dev.semlb.xds.kubernetes.DiscoveredAddress;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.pools.PoolEndpoint;
import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.pools.ServiceRef;
import dev.semlb.xds.registry.EndpointSource;
import dev.semlb.xds.registry.SourcedEndpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the xds-server serves: the pools (with any live weight changes applied) and, per pool, the
 * endpoints of every source merged. Immutable.
 *
 * <p>Invariant: every pool of {@code config} has an entry in {@code endpoints} (maybe empty), and
 * within a pool an address appears once; when two sources name the same address, the file wins,
 * then Kubernetes, then registration.
 *
 * @param config the pools and their policies
 * @param endpoints endpoints by pool name, in pool order
 */
public record ServedPools(PoolsConfig config, Map<String, List<SourcedEndpoint>> endpoints) {

  /** Copies the map. */
  public ServedPools {
    Objects.requireNonNull(config, "config");
    endpoints = Map.copyOf(endpoints);
  }

  /**
   * Merges the file's endpoints with registered ones; registrations for unknown pools are ignored.
   */
  public static ServedPools merge(
      PoolsConfig config, Map<String, List<SourcedEndpoint>> registered) {
    return merge(config, registered, Map.of());
  }

  /**
   * Merges, per pool and in this order of precedence, the file's endpoints, the ready addresses of
   * the pool's Kubernetes Services, and registered endpoints. Registrations for unknown pools and
   * Services no pool names are ignored; a Service address whose port cannot be told is left out.
   */
  public static ServedPools merge(
      PoolsConfig config,
      Map<String, List<SourcedEndpoint>> registered,
      Map<String, List<DiscoveredAddress>> discovered) {
    Map<String, List<SourcedEndpoint>> out = new LinkedHashMap<>();
    for (Pool pool : config.pools()) {
      List<SourcedEndpoint> merged = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (PoolEndpoint endpoint : pool.endpoints()) {
        seen.add(endpoint.address());
        merged.add(new SourcedEndpoint(endpoint, EndpointSource.FILE, null));
      }
      for (ServiceRef ref : pool.kubernetes()) {
        for (DiscoveredAddress address : discovered.getOrDefault(ref.service(), List.of())) {
          OptionalInt port = address.port(ref.port());
          if (port.isPresent()) {
            PoolEndpoint endpoint =
                new PoolEndpoint(address.ip(), port.getAsInt(), 1, ref.version());
            if (seen.add(endpoint.address())) {
              merged.add(new SourcedEndpoint(endpoint, EndpointSource.KUBERNETES, null));
            }
          }
        }
      }
      for (SourcedEndpoint lease : registered.getOrDefault(pool.name(), List.of())) {
        if (seen.add(lease.endpoint().address())) {
          merged.add(lease);
        }
      }
      out.put(pool.name(), List.copyOf(merged));
    }
    return new ServedPools(config, out);
  }

  /** The endpoints of {@code pool}; empty for an unknown pool. */
  public List<SourcedEndpoint> endpointsOf(String pool) {
    return endpoints.getOrDefault(pool, List.of());
  }
}
