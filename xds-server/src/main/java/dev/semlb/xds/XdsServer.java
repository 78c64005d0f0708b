package dev.semlb.xds;

import dev.semlb.config.ConfigException;
import dev.semlb.config.DaemonThreads;
import dev.semlb.config.FileWatcher;
import dev.semlb.config.Launcher;
import dev.semlb.grpc.ManagedGrpcServer;
import dev.semlb.xds.admin.AdminAuth;
import dev.semlb.xds.admin.AdminGrpcService;
import dev.semlb.xds.admin.XdsAdmin;
import dev.semlb.xds.kubernetes.EndpointSliceSource;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import java.util.Optional;
import java.util.function.Supplier;
import dev.semlb.xds.pools.PoolsConfigLoader;
import dev.semlb.xds.snapshot.HostResolver;
import dev.semlb.xds.snapshot.SnapshotPublisher;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import java.io.IOException;
import java.nio.file.Path;
import dev.semlb.xds.registry.EndpointRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running xds-server: ADS (plus standalone CDS/EDS) from java-control-plane, the gRPC
 * health service and reflection on one port, a watcher on {@code pools.yaml}, a periodic
 * re-resolution of endpoint host names, lease expiry of registered endpoints, and the admin
 * API (pools, registration, weights, metrics). The one wiring place; {@link Main} and
 * tests start it through {@link #start}.
 *
 * <p>An invalid edit of the pools file is logged and ignored: the last good snapshot keeps
 * serving. Envoy keeps its last endpoints if this server goes away.
 */
public final class XdsServer implements Launcher.Running, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(XdsServer.class);

  private final XdsConfig config;
  private final ManagedGrpcServer server;
  private final SnapshotPublisher publisher;
  private final ScheduledExecutorService scheduler;
  private final FileWatcher watcher;
  private final XdsAdmin admin;
  private final EndpointSliceSource kubernetes;

  private XdsServer(XdsConfig config, ManagedGrpcServer server, SnapshotPublisher publisher,
      ScheduledExecutorService scheduler, FileWatcher watcher, XdsAdmin admin, EndpointSliceSource kubernetes) {
    this.admin = admin;
    this.kubernetes = kubernetes;
    this.config = config;
    this.server = server;
    this.publisher = publisher;
    this.scheduler = scheduler;
    this.watcher = watcher;
  }

  /** Loads the pools, publishes the first snapshot and starts serving. */
  public static XdsServer start(XdsConfig config) throws IOException, ConfigException {
    return start(config, HostResolver.system());
  }

  /** As {@link #start(XdsConfig)}, with a given host resolver. */
  public static XdsServer start(XdsConfig config, HostResolver resolver) throws IOException, ConfigException {
    Clock clock = Clock.systemUTC();
    SnapshotPublisher publisher = new SnapshotPublisher(resolver, new EndpointRegistry(clock));
    publisher.publish(PoolsConfigLoader.load(config.poolsFile()));
    XdsAdmin admin = new XdsAdmin(publisher, clock);
    V3DiscoveryServer discovery = new V3DiscoveryServer(admin, publisher.cache());
    Supplier<Optional<String>> reload = () -> {
      Optional<String> error = reload(publisher, config.poolsFile());
      admin.reloaded(error.isEmpty());
      return error;
    };
    AdminGrpcService adminService = new AdminGrpcService(publisher, admin, reload, clock);
    BindableService guardedAdmin = () -> ServerInterceptors.intercept(adminService, new AdminAuth(config.admin().token()));
    ManagedGrpcServer server = ManagedGrpcServer.start(config.host(), config.port(), null, 4 * 1024 * 1024,
        List.of(discovery.getAggregatedDiscoveryServiceImpl(), discovery.getClusterDiscoveryServiceImpl(),
            discovery.getEndpointDiscoveryServiceImpl(), discovery.getRouteDiscoveryServiceImpl(), guardedAdmin),
        config.tls());
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("xds-refresh-"));
    long every = config.resolveInterval().toMillis();
    scheduler.scheduleWithFixedDelay(publisher::refresh, every, every, TimeUnit.MILLISECONDS);
    // Leases are checked often, so an expired endpoint leaves Envoy's view within a second.
    scheduler.scheduleWithFixedDelay(publisher::expireLeases, 250, 250, TimeUnit.MILLISECONDS);
    FileWatcher watcher = config.watch()
        ? new FileWatcher(config.poolsFile(), Duration.ofMillis(200), Duration.ofSeconds(2), scheduler,
            file -> reload.get())
        : null;
    if (config.admin().enabled()) {
      admin.start(config.admin());
    }
    EndpointSliceSource kubernetes = null;
    if (!config.kubernetesNamespace().isEmpty()) {
      // In a pod: the service account's token and CA; elsewhere: ~/.kube/config.
      kubernetes = EndpointSliceSource.start(new KubernetesClientBuilder().build(), config.kubernetesNamespace(),
          publisher::setDiscovered);
    }
    log.info("xds-server listening on {}:{} with {}", config.host(), server.port(), config.poolsFile());
    return new XdsServer(config, server, publisher, scheduler, watcher, admin, kubernetes);
  }

  /** Reloads the pools file; gives the reason when it was rejected (the served pools stay). */
  private static Optional<String> reload(SnapshotPublisher publisher, Path file) {
    try {
      if (!publisher.publish(PoolsConfigLoader.load(file))) {
        log.info("pools file {} read; the resources did not change", file);
      }
      return Optional.empty();
    } catch (ConfigException e) {
      log.error("pools file rejected, still serving version {}: {}", publisher.version(), e.getMessage());
      return Optional.of(e.getMessage());
    }
  }

  /** The admin API's port, or -1 when it is off. */
  public int adminPort() {
    return admin.port();
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The snapshot publisher, for inspection. */
  public SnapshotPublisher publisher() {
    return publisher;
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops at once, as a crash would. */
  public void kill() {
    server.kill();
    stopBackground();
  }

  @Override
  public void close() {
    try {
      // ADS streams never end on their own: after a short grace they are cut.
      server.stop(config.drain(), Duration.ofSeconds(2));
    } finally {
      stopBackground();
    }
    log.info("xds-server stopped");
  }

  private void stopBackground() {
    admin.close();
    if (kubernetes != null) {
      kubernetes.close();
    }
    if (watcher != null) {
      watcher.close();
    }
    scheduler.shutdownNow();
  }
}
