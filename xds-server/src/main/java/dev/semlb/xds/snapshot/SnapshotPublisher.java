package dev.semlb.xds.snapshot;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.semlb.classifier.envoyroute.NativeRoutePlan;
import dev.semlb.xds.kubernetes.DiscoveredAddress;
import dev.semlb.xds.pools.PoolPolicy;
import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.pools.RateLimit;
import dev.semlb.xds.registry.EndpointRegistry;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the pools to every connected Envoy as one snapshot in a {@link SimpleCache}. Its
 * inputs: the pools file, the ready addresses of Kubernetes Services, the endpoints registered at
 * run time (with leases) and the version weights and rate limits set over the API, which win over
 * the file's until the process restarts (a pools-file reload keeps them).
 *
 * <p>All Envoy nodes share one group, so they all see the same pools. A new snapshot is set only
 * when the resources actually changed, and its version is a counter that only grows, so Envoy never
 * sees churn from re-publishing identical data and never sees a version go backwards. Every
 * snapshot holds clusters, their load assignments and the routes built from one set of inputs, so
 * it is always consistent.
 *
 * <p>Thread-safe: the inputs and the published state are guarded by {@code lock}, but host names
 * are resolved without it. Each change bumps an input generation under the lock and takes a copy of
 * the inputs; the copy's hosts are resolved (which may block on DNS) with the lock released; then,
 * under the lock again, the snapshot is built and set only if no newer generation was published
 * meanwhile. So a slow DNS answer delays only the call that waits for it, never another input
 * change or a reader, and a stale answer never replaces a newer snapshot. Every mutating call
 * returns once a snapshot covering its change is served.
 */
public final class SnapshotPublisher {

  /** The single node group every Envoy belongs to. */
  public static final String GROUP = "semlb";

  private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

  private final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
  private final HostResolver resolver;
  private final EndpointRegistry registry;
  private final Object lock = new Object();

  @GuardedBy("lock")
  private final Map<String, Map<String, Integer>> weightOverrides = new LinkedHashMap<>();

  /** Rate limits set over the API by pool; an empty value removes the file's limit. */
  @GuardedBy("lock")
  private final Map<String, Optional<RateLimit>> rateLimitOverrides = new LinkedHashMap<>();

  @GuardedBy("lock")
  private Map<String, List<DiscoveredAddress>> discovered = Map.of();

  @GuardedBy("lock")
  private PoolsConfig fileConfig;

  @GuardedBy("lock")
  private NativeRoutePlan nativeRoutes = NativeRoutePlan.NONE;

  /** Bumped by every input change (and every refresh, since DNS answers are inputs too). */
  @GuardedBy("lock")
  private long generation;

  /** The generation of the inputs the served snapshot was built from. */
  @GuardedBy("lock")
  private long publishedGeneration;

  @GuardedBy("lock")
  private ServedPools served;

  @GuardedBy("lock")
  private PoolResources published;

  @GuardedBy("lock")
  private long version;

  /**
   * @param resolver turns endpoint hosts into addresses; called without any lock held
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
  public boolean publish(PoolsConfig config) {
    Objects.requireNonNull(config, "config");
    Inputs inputs;
    synchronized (lock) {
      fileConfig = config;
      inputs = changed();
    }
    return rebuild(inputs);
  }

  /**
   * Makes {@code plan} the native routes (rules Envoy decides without ext_proc) served before the
   * pool routes; publishes if pools are set and that changed the route table.
   */
  public boolean publishNativeRoutes(NativeRoutePlan plan) {
    Objects.requireNonNull(plan, "plan");
    Inputs inputs;
    synchronized (lock) {
      nativeRoutes = plan;
      inputs = fileConfig == null ? null : changed();
    }
    return inputs != null && rebuild(inputs);
  }

  /**
   * Re-reads the registry (dropping expired leases) and re-resolves host names; publishes only if
   * something changed.
   */
  public boolean refresh() {
    registry.expire();
    Inputs inputs;
    synchronized (lock) {
      inputs = fileConfig == null ? null : changed();
    }
    return inputs != null && rebuild(inputs);
  }

  /** Sets the ready addresses of every Kubernetes Service; publishes if that changed a pool. */
  public boolean setDiscovered(Map<String, List<DiscoveredAddress>> byService) {
    Map<String, List<DiscoveredAddress>> copy = Map.copyOf(byService);
    Inputs inputs;
    synchronized (lock) {
      discovered = copy;
      inputs = fileConfig == null ? null : changed();
    }
    return inputs != null && rebuild(inputs);
  }

  /**
   * Drops expired leases; publishes only if one was dropped. The rebuild then resolves the
   * remaining hosts, but without the lock, so nothing else waits for DNS.
   */
  public boolean expireLeases() {
    if (!registry.expire()) {
      return false;
    }
    Inputs inputs;
    synchronized (lock) {
      inputs = fileConfig == null ? null : changed();
    }
    return inputs != null && rebuild(inputs);
  }

  /**
   * Sets the traffic share of each version label of {@code pool} (e.g. blue 90, green 10).
   *
   * @throws IllegalArgumentException for an unknown pool or invalid weights, naming the problem
   */
  public boolean setVersionWeights(String pool, Map<String, Integer> weights) {
    Inputs inputs;
    synchronized (lock) {
      checkPool(pool);
      weightOverrides.put(pool, PoolPolicy.checkWeights(weights));
      inputs = changed();
    }
    return rebuild(inputs);
  }

  /**
   * Sets (or, with an empty {@code limit}, removes) the rate limit of {@code pool}, over the
   * file's.
   *
   * @throws IllegalArgumentException for an unknown pool
   */
  public boolean setRateLimit(String pool, Optional<RateLimit> limit) {
    Objects.requireNonNull(limit, "limit");
    Inputs inputs;
    synchronized (lock) {
      checkPool(pool);
      rateLimitOverrides.put(pool, limit);
      inputs = changed();
    }
    return rebuild(inputs);
  }

  @GuardedBy("lock")
  private void checkPool(String pool) {
    if (fileConfig == null || fileConfig.pool(pool).isEmpty()) {
      throw new IllegalArgumentException(
          "pool: '"
              + pool
              + "' (expected: one of "
              + (fileConfig == null ? List.of() : fileConfig.poolNames())
              + ")");
    }
  }

  /** The inputs of one rebuild: what to serve, and which generation of the inputs it is. */
  private record Inputs(long generation, ServedPools served, NativeRoutePlan nativeRoutes) {}

  /** Marks the inputs changed and copies them; call with the lock held and a file config set. */
  @GuardedBy("lock")
  private Inputs changed() {
    PoolsConfig effective = fileConfig;
    for (Map.Entry<String, Map<String, Integer>> override : weightOverrides.entrySet()) {
      if (effective.pool(override.getKey()).isPresent()) {
        effective = effective.withVersionWeights(override.getKey(), override.getValue());
      }
    }
    for (Map.Entry<String, Optional<RateLimit>> override : rateLimitOverrides.entrySet()) {
      if (effective.pool(override.getKey()).isPresent()) {
        effective = effective.withRateLimit(override.getKey(), override.getValue());
      }
    }
    return new Inputs(
        ++generation, ServedPools.merge(effective, registry.snapshot(), discovered), nativeRoutes);
  }

  /**
   * Resolves the hosts of {@code inputs} without the lock, then publishes unless a newer generation
   * was.
   */
  private boolean rebuild(Inputs inputs) {
    ResolvedHosts hosts = ResolvedHosts.resolve(inputs.served(), resolver);
    PoolResources resources = PoolResources.build(inputs.served(), hosts, inputs.nativeRoutes());
    synchronized (lock) {
      if (inputs.generation() <= publishedGeneration) {
        return false; // a newer snapshot, which includes this change, is already served
      }
      publishedGeneration = inputs.generation();
      served = inputs.served();
      if (resources.equals(published)) {
        return false;
      }
      version++;
      Snapshot snapshot =
          Snapshot.create(
              resources.clusters(),
              resources.loadAssignments(),
              List.of(),
              List.of(resources.routes()),
              List.of(),
              Long.toString(version));
      cache.setSnapshot(GROUP, snapshot);
      published = resources;
      log.info("published snapshot version {}: {}", version, resources.summary());
      return true;
    }
  }

  /** The version of the snapshot being served; 0 before the first. */
  public long version() {
    synchronized (lock) {
      return version;
    }
  }

  /** The resources being served, or null before the first snapshot. */
  public PoolResources published() {
    synchronized (lock) {
      return published;
    }
  }

  /** The pools and merged endpoints being served, or null before the first snapshot. */
  public ServedPools served() {
    synchronized (lock) {
      return served;
    }
  }
}
