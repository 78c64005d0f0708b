package dev.semlb.xds;

import dev.semlb.config.ConfigException;
import dev.semlb.config.DaemonThreads;
import dev.semlb.config.FileWatcher;
import dev.semlb.config.Launcher;
import dev.semlb.config.PoolList;
import dev.semlb.config.PoolListCheck;
import dev.semlb.grpc.Lifecycle;
import dev.semlb.grpc.ManagedGrpcServer;
import dev.semlb.xds.admin.AdminAuth;
import dev.semlb.xds.admin.AdminGrpcService;
import dev.semlb.xds.admin.XdsAdmin;
import dev.semlb.xds.kubernetes.EndpointSliceSource;
import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.pools.PoolsConfigLoader;
import dev.semlb.xds.registry.EndpointRegistry;
import dev.semlb.xds.snapshot.HostResolver;
import dev.semlb.xds.snapshot.RoutingRules;
import dev.semlb.xds.snapshot.SnapshotPublisher;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running xds-server: ADS (plus standalone CDS/EDS) from java-control-plane, the gRPC health
 * service and reflection on one port, a watcher on {@code pools.yaml}, a periodic re-resolution of
 * endpoint host names, lease expiry of registered endpoints, and the admin API (pools,
 * registration, weights, metrics). The one wiring place; {@link Main} and tests start it through
 * {@link #start}.
 *
 * <p>An invalid edit of the pools file is logged and ignored: the last good snapshot keeps serving.
 * Envoy keeps its last endpoints if this server goes away.
 */
public final class XdsServer implements Launcher.Running, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(XdsServer.class);

  /** ADS streams never end on their own: after a short grace they are cut. */
  private static final Duration GRACE = Duration.ofSeconds(2);

  private final Lifecycle lifecycle;
  private final ManagedGrpcServer server;
  private final SnapshotPublisher publisher;
  private final XdsAdmin admin;

  private XdsServer(
      Lifecycle lifecycle, ManagedGrpcServer server, SnapshotPublisher publisher, XdsAdmin admin) {
    this.lifecycle = lifecycle;
    this.server = server;
    this.publisher = publisher;
    this.admin = admin;
  }

  /** Loads the pools, publishes the first snapshot and starts serving. */
  public static XdsServer start(XdsConfig config) throws IOException, ConfigException {
    return start(config, HostResolver.system());
  }

  /** As {@link #start(XdsConfig)}, with a given host resolver. */
  public static XdsServer start(XdsConfig config, HostResolver resolver)
      throws IOException, ConfigException {
    Clock clock = Clock.systemUTC();
    SnapshotPublisher publisher = new SnapshotPublisher(resolver, new EndpointRegistry(clock));
    PoolsConfig pools = PoolsConfigLoader.load(config.poolsFile());
    if (config.routingFile() != null) {
      warnOnDrift(config.routingFile(), pools.poolList(config.poolsFile().toString()));
      RoutingRules.read(config.routingFile()).ifPresent(publisher::publishNativeRoutes);
    }
    publisher.publish(pools);
    Lifecycle lifecycle = new Lifecycle("xds-server", config.drain(), GRACE);
    try {
      return start(config, publisher, clock, lifecycle);
    } catch (IOException | RuntimeException e) {
      lifecycle.kill();
      throw e;
    }
  }

  private static XdsServer start(
      XdsConfig config, SnapshotPublisher publisher, Clock clock, Lifecycle lifecycle)
      throws IOException {
    XdsAdmin admin = lifecycle.closeOnStop(new XdsAdmin(publisher, clock));
    V3DiscoveryServer discovery = new V3DiscoveryServer(admin, publisher.cache());
    Supplier<Optional<String>> reload =
        () -> {
          Optional<String> error = reload(publisher, config.poolsFile());
          admin.reloaded(error.isEmpty());
          return error;
        };
    AdminGrpcService adminService = new AdminGrpcService(publisher, admin, reload, clock);
    BindableService guardedAdmin =
        () -> ServerInterceptors.intercept(adminService, new AdminAuth(config.admin().token()));
    ScheduledExecutorService scheduler =
        lifecycle.shutDownOnStop(
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("xds-server-refresh-")));
    ManagedGrpcServer server =
        lifecycle.serve(
            config.host(),
            config.port(),
            null,
            4 * 1024 * 1024,
            List.of(
                discovery.getAggregatedDiscoveryServiceImpl(),
                discovery.getClusterDiscoveryServiceImpl(),
                discovery.getEndpointDiscoveryServiceImpl(),
                discovery.getRouteDiscoveryServiceImpl(),
                guardedAdmin),
            config.tls());
    long every = config.resolveInterval().toMillis();
    scheduler.scheduleWithFixedDelay(publisher::refresh, every, every, TimeUnit.MILLISECONDS);
    // Leases are checked often, so an expired endpoint leaves Envoy's view within a second.
    scheduler.scheduleWithFixedDelay(publisher::expireLeases, 250, 250, TimeUnit.MILLISECONDS);
    if (config.watch()) {
      lifecycle.closeOnStop(
          new FileWatcher(
              config.poolsFile(),
              Duration.ofMillis(200),
              Duration.ofSeconds(2),
              scheduler,
              file -> reload.get()));
      if (config.routingFile() != null) {
        lifecycle.closeOnStop(
            new FileWatcher(
                config.routingFile(),
                Duration.ofMillis(200),
                Duration.ofSeconds(2),
                scheduler,
                file -> RoutingRules.read(file).ifPresent(publisher::publishNativeRoutes)));
      }
    }
    if (config.admin().enabled()) {
      admin.start(config.admin());
    }
    if (!config.kubernetesNamespace().isEmpty()) {
      // In a pod: the service account's token and CA; elsewhere: ~/.kube/config.
      lifecycle.closeOnStop(
          EndpointSliceSource.start(
              new KubernetesClientBuilder().build(),
              config.kubernetesNamespace(),
              publisher::setDiscovered));
    }
    log.info(
        "xds-server listening on {}:{} with {}", config.host(), server.port(), config.poolsFile());
    return new XdsServer(lifecycle, server, publisher, admin);
  }

  /**
   * Logs, as warnings, how the routing file's pools differ from the pools file's; never fails
   * start-up.
   */
  private static void warnOnDrift(Path routingFile, PoolList pools) {
    try {
      List<String> problems = PoolListCheck.compare(PoolList.readRouting(routingFile), pools);
      problems.forEach(p -> log.warn("pools drift: {}", p));
      if (problems.isEmpty()) {
        log.info("{} and {} declare the same pools and default", routingFile, pools.file());
      }
    } catch (ConfigException e) {
      log.warn("cannot check the pools against {}: {}", routingFile, e.getMessage());
    }
  }

  /** Reloads the pools file; gives the reason when it was rejected (the served pools stay). */
  private static Optional<String> reload(SnapshotPublisher publisher, Path file) {
    try {
      if (!publisher.publish(PoolsConfigLoader.load(file))) {
        log.info("pools file {} read; the resources did not change", file);
      }
      return Optional.empty();
    } catch (ConfigException e) {
      log.error(
          "pools file rejected, still serving version {}: {}", publisher.version(), e.getMessage());
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
    lifecycle.awaitTermination();
  }

  /** Stops at once, as a crash would. */
  public void kill() {
    lifecycle.kill();
  }

  /** Stops gracefully ({@link Lifecycle#close}). */
  @Override
  public void close() {
    lifecycle.close();
  }
}
