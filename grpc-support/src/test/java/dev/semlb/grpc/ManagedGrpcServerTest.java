package dev.semlb.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagedGrpcServerTest {

  @Test
  void servesHealthAndTurnsNettyLeakSamplingOffUnlessAskedFor() throws Exception {
    // Surefire does not set the property, so the server's default applies.
    assertThat(System.getProperty(ManagedGrpcServer.LEAK_DETECTION_PROPERTY)).isNull();
    ManagedGrpcServer server = ManagedGrpcServer.start("127.0.0.1", 0, null, 1 << 20, List.of());
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
      assertThat(
              HealthGrpc.newBlockingStub(channel)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
      server.stop(Duration.ZERO, Duration.ofSeconds(1));
    }
  }
}
