package dev.semlb.xds.snapshot;

import dev.semlb.xds.kubernetes.DiscoveredAddress;
import dev.semlb.xds.pools.PoolPolicy;
import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.registry.EndpointRegistry;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the pools to every connected Envoy as one snapshot in a {@link SimpleCache}.
 * Its inputs: the pools file, the ready addresses of Kubernetes Services, the endpoints
 * registered at run time (with leases) and the version weights set over the API, which win
 * over the file's until the process restarts.
 *
 * <p>All Envoy nodes share one group, so they all see the same pools. A new snapshot is set
 * only when the resources actually changed, and its version is a counter that only grows,
 * so Envoy never sees churn from re-publishing identical data and never sees a version go
 * backwards. Every snapshot holds clusters, their load assignments and the routes built
 * from one set of inputs, so it is always consistent. Thread-safe: every input change and
 * publication is serialized by {@code this}.
 */
public final class SnapshotPublisher {

  /** The single node group every Envoy belongs to. */
  public static final String GROUP = "semlb";

  private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

  private final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
  private final HostResolver resolver;
  private final EndpointRegistry registry;
  private final Map<String, Map<String, Integer>> weightOverrides = new LinkedHashMap<>();
  private Map<String, List<DiscoveredAddress>> discovered = Map.of();
  private PoolsConfig fileConfig;
  private ServedPools served;
  private PoolResources published;
  private long version;

  /**
   * @param resolver turns endpoint hosts into addresses
   * @param registry endpoints registered at run time
   */
  public SnapshotPublisher(HostResolver resolver, EndpointRegistry registry) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** The cache that the discovery server reads from. */
  public SimpleCache<String> cache() {
    return cache;
  }

  /** The run-time endpoint registry; call {@link #refresh} after changing it. */
  public EndpointRegistry registry() {
    return registry;
  }

  /** Makes {@code config} the served pools; returns whether a new snapshot was published. */
  public synchronized boolean publish(PoolsConfig config) {
    this.fileConfig = Objects.requireNonNull(config, "config");
    return rebuild();
  }

  /**
   * Re-reads the registry (dropping expired leases) and re-resolves host names; publishes
   * only if something changed.
   */
  public synchronized boolean refresh() {
    registry.expire();
    return fileConfig != null && rebuild();
  }

  /** Sets the ready addresses of every Kubernetes Service; publishes if that changed a pool. */
  public synchronized boolean setDiscovered(Map<String, List<DiscoveredAddress>> byService) {
    this.discovered = Map.copyOf(byService);
    return fileConfig != null && rebuild();
  }

  /** Drops expired leases; publishes only if one was dropped. Cheap: no DNS lookups. */
  public synchronized boolean expireLeases() {
    return registry.expire() && fileConfig != null && rebuild();
  }

  /**
   * Sets the traffic share of each version label of {@code pool} (e.g. blue 90, green 10).
   *
   * @throws IllegalArgumentException for an unknown pool or invalid weights, naming the problem
   */
  public synchronized boolean setVersionWeights(String pool, Map<String, Integer> weights) {
    if (fileConfig == null || fileConfig.pool(pool).isEmpty()) {
      throw new IllegalArgumentException("pool: '" + pool + "' (expected: one of "
          + (fileConfig == null ? List.of() : fileConfig.names()) + ")");
    }
    weightOverrides.put(pool, PoolPolicy.checkWeights(weights));
    return rebuild();
  }

  private boolean rebuild() {
    PoolsConfig effective = fileConfig;
    for (Map.Entry<String, Map<String, Integer>> override : weightOverrides.entrySet()) {
      if (effective.pool(override.getKey()).isPresent()) {
        effective = effective.withVersionWeights(override.getKey(), override.getValue());
      }
    }
    served = ServedPools.merge(effective, registry.snapshot(), discovered);
    PoolResources resources = PoolResources.build(served, resolver);
    if (resources.equals(published)) {
      return false;
    }
    version++;
    Snapshot snapshot = Snapshot.create(resources.clusters(), resources.loadAssignments(),
        List.of(), List.of(resources.routes()), List.of(), Long.toString(version));
    cache.setSnapshot(GROUP, snapshot);
    published = resources;
    log.info("published snapshot version {}: {}", version, resources.summary());
    return true;
  }

  /** The version of the snapshot being served; 0 before the first. */
  public synchronized long version() {
    return version;
  }

  /** The resources being served, or null before the first snapshot. */
  public synchronized PoolResources published() {
    return published;
  }

  /** The pools and merged endpoints being served, or null before the first snapshot. */
  public synchronized ServedPools served() {
    return served;
  }
}
