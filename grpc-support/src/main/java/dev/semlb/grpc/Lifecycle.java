package dev.semlb.grpc;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.semlb.config.Launcher;
import io.grpc.BindableService;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start and stop of one semlb gRPC service, shared by the ext-proc-service and xds-server
 * mains: what was started is registered here as it starts, and one call stops it all in order.
 *
 * <p>Order: {@link #close} first stops the gRPC server gracefully ({@link ManagedGrpcServer#stop}:
 * health NOT_SERVING, drain delay, {@code shutdown()}, grace, {@code shutdownNow()}), then closes
 * every registered resource, the last registered first (watchers and admin servers before the
 * executors they use). An executor gets {@code shutdown()} and at most the grace period before
 * {@code shutdownNow()}, so the whole stop takes at most drain + 2 grace + grace per executor. A
 * resource that fails to close is logged and the rest still close. {@link #kill} does the same at
 * once, as a crash would; a start that fails half way calls it so nothing started is left running.
 *
 * <p>The JVM shutdown hook is {@link Launcher}'s (shared with the workers, which have no gRPC
 * server): it calls {@link #close}. Thread-safe; stopping more than once does nothing.
 */
public final class Lifecycle implements Launcher.Running, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private final String name;
  private final Duration drain;
  private final Duration grace;
  private final CountDownLatch stopped = new CountDownLatch(1);

  @GuardedBy("this")
  private final Deque<Stoppable> resources = new ArrayDeque<>();

  @GuardedBy("this")
  private ManagedGrpcServer server;

  @GuardedBy("this")
  private boolean stopping;

  /**
   * @param name the service, for logs
   * @param drain how long health reports NOT_SERVING before the server stops accepting calls
   * @param grace how long open calls, and each executor, get to finish before being cut
   */
  public Lifecycle(String name, Duration drain, Duration grace) {
    this.name = Objects.requireNonNull(name, "name");
    this.drain = Objects.requireNonNull(drain, "drain");
    this.grace = Objects.requireNonNull(grace, "grace");
  }

  /** How one registered resource stops, gracefully or at once. */
  private interface Stoppable {
    void stop(boolean graceful) throws Exception;
  }

  /**
   * Starts the service's gRPC server ({@link ManagedGrpcServer#start}); there is one per lifecycle.
   */
  public synchronized ManagedGrpcServer serve(
      String host,
      int port,
      Executor executor,
      int maxInboundBytes,
      List<BindableService> services,
      GrpcTls tls)
      throws IOException {
    if (server != null) {
      throw new IllegalStateException(name + ": the gRPC server is already started");
    }
    server = ManagedGrpcServer.start(host, port, executor, maxInboundBytes, services, tls);
    return server;
  }

  /** Registers {@code resource} to be closed at stop (null is ignored); returns it. */
  public synchronized <T extends AutoCloseable> T closeOnStop(T resource) {
    if (resource != null) {
      resources.push(graceful -> resource.close());
    }
    return resource;
  }

  /** Registers {@code executor} to be shut down at stop, within the grace period; returns it. */
  public synchronized <T extends ExecutorService> T shutDownOnStop(T executor) {
    resources.push(
        graceful -> {
          if (!graceful) {
            executor.shutdownNow();
            return;
          }
          executor.shutdown();
          if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            log.info("{}: tasks still running after {}; interrupting them", name, grace);
            executor.shutdownNow();
          }
        });
    return executor;
  }

  /** Blocks until the service has stopped. */
  @Override
  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  /** Stops gracefully, in the order the class comment gives. */
  @Override
  public void close() {
    stop(true);
  }

  /** Stops at once, cutting open calls, as a crash would. */
  public void kill() {
    stop(false);
  }

  private void stop(boolean graceful) {
    ManagedGrpcServer grpc;
    Deque<Stoppable> toStop;
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
      grpc = server;
      toStop = new ArrayDeque<>(resources);
      resources.clear();
    }
    try {
      if (grpc != null) {
        if (graceful) {
          grpc.stop(drain, grace);
        } else {
          grpc.kill();
        }
      }
      for (Stoppable resource : toStop) {
        try {
          resource.stop(graceful);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          graceful = false;
        } catch (Exception e) {
          log.warn("{}: a resource failed to stop; stopping the rest", name, e);
        }
      }
    } finally {
      stopped.countDown();
      log.info("{} stopped", name);
    }
  }
}
