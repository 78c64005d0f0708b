package dev.semlb.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  private final List<String> events = new CopyOnWriteArrayList<>();

  private AutoCloseable recorder(String name) {
    return () -> events.add(name);
  }

  @Test
  void close_stopsTheServerFirst_thenResourcesLastRegisteredFirst_once() throws Exception {
    Lifecycle lifecycle = new Lifecycle("test", Duration.ZERO, Duration.ofSeconds(1));
    ExecutorService executor = lifecycle.shutDownOnStop(Executors.newSingleThreadExecutor());
    lifecycle.closeOnStop(recorder("admin"));
    ManagedGrpcServer server = lifecycle.serve("127.0.0.1", 0, null, 1 << 20, List.of(), null);
    lifecycle.closeOnStop(recorder("watcher"));
    lifecycle.closeOnStop(null);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      assertThat(
              HealthGrpc.newBlockingStub(channel)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(ServingStatus.SERVING);
      lifecycle.closeOnStop(() -> events.add("server answers: " + answers(channel)));

      lifecycle.close();
      lifecycle.close();
      lifecycle.awaitTermination();

      assertThat(events).containsExactly("server answers: false", "watcher", "admin");
      assertThat(executor.isTerminated()).isTrue();
    } finally {
      channel.shutdownNow();
    }
  }

  private static boolean answers(ManagedChannel channel) {
    try {
      HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(1, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return true;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  @Test
  void close_aFailingResource_doesNotStopTheOthers_andABusyExecutorIsCutAfterTheGrace()
      throws Exception {
    Lifecycle lifecycle = new Lifecycle("test", Duration.ZERO, Duration.ofMillis(200));
    ExecutorService busy = lifecycle.shutDownOnStop(Executors.newSingleThreadExecutor());
    CountDownLatch never = new CountDownLatch(1);
    busy.submit(
        () -> {
          never.await();
          return null;
        });
    lifecycle.closeOnStop(recorder("first"));
    lifecycle.closeOnStop(
        () -> {
          throw new IllegalStateException("boom");
        });

    long start = System.nanoTime();
    lifecycle.close();

    assertThat(events).containsExactly("first");
    assertThat(busy.awaitTermination(1, TimeUnit.SECONDS))
        .as("interrupted after the grace")
        .isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void kill_stopsEverythingAtOnce() throws Exception {
    Lifecycle lifecycle = new Lifecycle("test", Duration.ofSeconds(30), Duration.ofSeconds(30));
    ExecutorService executor = lifecycle.shutDownOnStop(Executors.newSingleThreadExecutor());
    lifecycle.serve("127.0.0.1", 0, null, 1 << 20, List.of(), null);
    lifecycle.closeOnStop(recorder("resource"));

    long start = System.nanoTime();
    lifecycle.kill();
    lifecycle.awaitTermination();

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("no drain, no grace")
        .isLessThan(Duration.ofSeconds(5));
    assertThat(events).containsExactly("resource");
    assertThat(executor.isShutdown()).isTrue();
  }
}
