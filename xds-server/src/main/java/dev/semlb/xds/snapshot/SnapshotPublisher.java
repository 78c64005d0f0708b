package dev.semlb.xds.snapshot;

import dev.semlb.xds.pools.PoolsConfig;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the pools to every connected Envoy as one snapshot in a {@link SimpleCache}.
 *
 * <p>All Envoy nodes share one group, so they all see the same pools. A new snapshot is set
 * only when the resources actually changed, and its version is a counter that only grows,
 * so Envoy never sees churn from re-publishing identical data and never sees a version go
 * backwards. Thread-safe: publishing is serialized by {@code this}.
 */
public final class SnapshotPublisher {

  /** The single node group every Envoy belongs to. */
  public static final String GROUP = "semlb";

  private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

  private final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
  private final HostResolver resolver;
  private PoolsConfig config;
  private PoolResources published;
  private long version;

  /** @param resolver turns endpoint hosts into addresses */
  public SnapshotPublisher(HostResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** The cache that the discovery server reads from. */
  public SimpleCache<String> cache() {
    return cache;
  }

  /** Makes {@code config} the served pools; returns whether a new snapshot was published. */
  public synchronized boolean publish(PoolsConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    return rebuild();
  }

  /** Re-resolves the current pools' hosts; publishes only if an address changed. */
  public synchronized boolean refresh() {
    return config != null && rebuild();
  }

  private boolean rebuild() {
    PoolResources resources = PoolResources.build(config, resolver);
    if (resources.equals(published)) {
      return false;
    }
    version++;
    Snapshot snapshot = Snapshot.create(resources.clusters(), resources.loadAssignments(),
        List.of(), List.of(), List.of(), Long.toString(version));
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
}
