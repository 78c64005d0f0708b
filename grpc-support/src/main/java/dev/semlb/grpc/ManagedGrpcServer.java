package dev.semlb.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started gRPC server with what every semlb service needs: the standard health service ({@code
 * grpc.health.v1}, SERVING for "" and each named service), reflection, keepalive permits suited to
 * Envoy's long-lived connections, and a graceful stop.
 *
 * <p>Graceful stop: health goes NOT_SERVING, the drain delay lets probes and Envoy move away, then
 * {@code shutdown()}, a grace period for open calls, and {@code shutdownNow()}. Thread-safe.
 */
public final class ManagedGrpcServer {

  private static final Logger log = LoggerFactory.getLogger(ManagedGrpcServer.class);

  /** The system property that sets Netty's buffer-leak detection level (shaded name). */
  static final String LEAK_DETECTION_PROPERTY = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  static {
    // Netty samples buffers for leak tracking by default and records a stack trace for each
    // sampled one: a few percent of the service's CPU per ext_proc message (measured with
    // async-profiler at saturation). Off unless the operator asks for it with the property.
    if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  private final Server server;
  private final HealthStatusManager health;

  private ManagedGrpcServer(Server server, HealthStatusManager health) {
    this.server = server;
    this.health = health;
  }

  /**
   * Binds and starts.
   *
   * @param host bind address
   * @param port port, 0 for any free one
   * @param executor runs calls; null for gRPC's default
   * @param maxInboundBytes largest message accepted
   * @param services the services; each one's name is reported SERVING
   */
  public static ManagedGrpcServer start(
      String host, int port, Executor executor, int maxInboundBytes, List<BindableService> services)
      throws IOException {
    return start(host, port, executor, maxInboundBytes, services, null);
  }

  /**
   * As {@link #start(String, int, Executor, int, List)}, over TLS (mutual with a client CA) unless
   * {@code tls} is null.
   */
  public static ManagedGrpcServer start(
      String host,
      int port,
      Executor executor,
      int maxInboundBytes,
      List<BindableService> services,
      GrpcTls tls)
      throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    InetSocketAddress address = new InetSocketAddress(host, port);
    NettyServerBuilder builder =
        (tls == null
                ? NettyServerBuilder.forAddress(address)
                : NettyServerBuilder.forAddress(address, tls.credentials()))
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance())
            .maxInboundMessageSize(maxInboundBytes)
            // Envoy keeps its gRPC connections open and may ping them.
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true);
    if (executor != null) {
      builder.executor(executor);
    }
    services.forEach(builder::addService);
    Server server = builder.build().start();
    health.setStatus("", ServingStatus.SERVING);
    for (BindableService service : services) {
      health.setStatus(
          service.bindService().getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    return new ManagedGrpcServer(server, health);
  }

  /** The bound port. */
  public int port() {
    return server.getPort();
  }

  /** Blocks until the server terminates. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops at once, cutting open calls, as a crash would. */
  public void kill() {
    server.shutdownNow();
  }

  /** Stops gracefully; see the class comment. */
  public void stop(Duration drain, Duration grace) {
    health.enterTerminalState();
    try {
      Thread.sleep(drain.toMillis());
      server.shutdown();
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.info("calls still open after {}; cancelling them", grace);
        server.shutdownNow();
        server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
