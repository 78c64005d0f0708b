package dev.semlb.xds.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.xds.api.v1.GetStatusRequest;
import dev.semlb.xds.api.v1.ListPoolsRequest;
import dev.semlb.xds.api.v1.PoolAdminGrpc;
import dev.semlb.xds.api.v1.RateLimit;
import dev.semlb.xds.api.v1.ReloadRequest;
import dev.semlb.xds.api.v1.RemoveRateLimitRequest;
import dev.semlb.xds.api.v1.SetRateLimitRequest;
import dev.semlb.xds.api.v1.SetTrafficWeightsRequest;
import dev.semlb.xds.pools.PoolsConfigLoader;
import dev.semlb.xds.registry.EndpointRegistry;
import dev.semlb.xds.registry.MutableClock;
import dev.semlb.xds.snapshot.SnapshotPublisher;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminGrpcServiceTest {

  private final MutableClock clock = new MutableClock();
  private final SnapshotPublisher publisher =
      new SnapshotPublisher(host -> List.of(host), new EndpointRegistry(clock));
  private final XdsAdmin admin = new XdsAdmin(publisher, clock);
  private final AtomicReference<Optional<String>> nextReload =
      new AtomicReference<>(Optional.empty());
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    publisher.publish(
        PoolsConfigLoader.parse(
            "pools.yaml",
            """
        pools:
          - { name: general, endpoints: [10.0.0.1:9001] }
          - name: fast-path
            endpoints: [{ address: 10.0.0.2:9003, version: blue }, { address: 10.0.0.3:9003, version: green }]
        """));
    AdminGrpcService service = new AdminGrpcService(publisher, admin, nextReload::get, clock);
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(ServerInterceptors.intercept(service, new AdminAuth("secret")))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private PoolAdminGrpc.PoolAdminBlockingStub stub(String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return PoolAdminGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Test
  void statusAndPools_describeWhatIsServed() {
    var status = stub("secret").getStatus(GetStatusRequest.getDefaultInstance());
    var pools = stub("secret").listPools(ListPoolsRequest.getDefaultInstance());

    assertThat(status.getSnapshotVersion()).isEqualTo(1);
    assertThat(status.getDefaultPool()).isEqualTo("general");
    assertThat(status.getPools()).isEqualTo(2);
    assertThat(status.getEndpoints()).isEqualTo(3);
    assertThat(pools.getPoolsList())
        .extracting(p -> p.getName())
        .containsExactly("general", "fast-path");
    assertThat(pools.getPools(1).getFallbackList()).containsExactly("general");
    assertThat(pools.getPools(1).getEndpoints(1).getVersion()).isEqualTo("green");
    assertThat(pools.getPools(1).getEndpoints(1).getSource()).isEqualTo("file");
  }

  @Test
  void setTrafficWeights_appliesLive_andRejectsBadInputWithReasons() {
    var pool =
        stub("secret")
            .setTrafficWeights(
                SetTrafficWeightsRequest.newBuilder()
                    .setPool("fast-path")
                    .putWeights("blue", 90)
                    .putWeights("green", 10)
                    .build());

    assertThat(pool.getVersionWeightsMap()).containsEntry("blue", 90).containsEntry("green", 10);
    assertThat(publisher.version()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                stub("secret")
                    .setTrafficWeights(
                        SetTrafficWeightsRequest.newBuilder()
                            .setPool("nope")
                            .putWeights("blue", 1)
                            .build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("NOT_FOUND")
        .hasMessageContaining("'nope'");
    assertThatThrownBy(
            () ->
                stub("secret")
                    .setTrafficWeights(
                        SetTrafficWeightsRequest.newBuilder()
                            .setPool("fast-path")
                            .putWeights("blue", 101)
                            .build()))
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("versionWeights.blue: 101 (expected: 0..100)");
    assertThat(publisher.version()).as("rejected calls change nothing").isEqualTo(2);
  }

  @Test
  void reload_reportsRejection() {
    nextReload.set(Optional.of("pools.yaml: pools: a list (expected: at least one pool)"));

    var response = stub("secret").reload(ReloadRequest.getDefaultInstance());

    assertThat(response.getOk()).isFalse();
    assertThat(response.getError()).contains("at least one pool");
    assertThat(response.getSnapshotVersion()).isEqualTo(1);
  }

  @Test
  void calls_needTheToken() {
    assertThatThrownBy(() -> stub("wrong").getStatus(GetStatusRequest.getDefaultInstance()))
        .hasMessageContaining("UNAUTHENTICATED");
    assertThatThrownBy(
            () -> PoolAdminGrpc.newBlockingStub(channel).reload(ReloadRequest.getDefaultInstance()))
        .hasMessageContaining("UNAUTHENTICATED");
  }

  @Test
  void nack_isCountedWithItsType() {
    admin.onV3StreamRequest(
        1,
        io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest.newBuilder()
            .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster")
            .setVersionInfo("1")
            .setResponseNonce("2")
            .setErrorDetail(com.google.rpc.Status.newBuilder().setMessage("bad cluster"))
            .build());
    admin.onV3StreamRequest(
        1,
        io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest.newBuilder()
            .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster")
            .setVersionInfo("2")
            .build());

    assertThat(admin.nacks()).isEqualTo(1);
    assertThat(stub("secret").getStatus(GetStatusRequest.getDefaultInstance()).getNacks())
        .isEqualTo(1);
  }

  @Test
  void setAndRemoveRateLimit_applyLive_andRejectBadInputWithReasons() {
    var limited =
        stub("secret")
            .setRateLimit(
                SetRateLimitRequest.newBuilder()
                    .setPool("fast-path")
                    .setRateLimit(RateLimit.newBuilder().setRequestsPerSecond(20).setBurst(40))
                    .build());
    long afterSet = publisher.version();

    assertThat(limited.getRateLimit().getRequestsPerSecond()).isEqualTo(20);
    assertThat(limited.getRateLimit().getBurst()).isEqualTo(40);
    assertThat(limited.getRateLimit().getRetryAfterSeconds()).isEqualTo(1);
    assertThat(afterSet).isEqualTo(2);
    assertThat(
            stub("secret")
                .listPools(ListPoolsRequest.getDefaultInstance())
                .getPools(1)
                .hasRateLimit())
        .isTrue();
    assertThatThrownBy(
            () ->
                stub("secret")
                    .setRateLimit(
                        SetRateLimitRequest.newBuilder()
                            .setPool("fast-path")
                            .setRateLimit(
                                RateLimit.newBuilder().setRequestsPerSecond(20).setBurst(0))
                            .build()))
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("rateLimit.burst: 0 (expected: 1..1000000)");
    assertThatThrownBy(
            () ->
                stub("secret")
                    .setRateLimit(
                        SetRateLimitRequest.newBuilder()
                            .setPool("fast-path")
                            .setRateLimit(RateLimit.newBuilder().setBurst(5))
                            .build()))
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("neither requestsPerSecond nor requestsPerMinute");
    assertThatThrownBy(
            () ->
                stub("secret")
                    .setRateLimit(SetRateLimitRequest.newBuilder().setPool("fast-path").build()))
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("rate_limit: missing");
    assertThatThrownBy(
            () ->
                stub("secret")
                    .setRateLimit(
                        SetRateLimitRequest.newBuilder()
                            .setPool("nope")
                            .setRateLimit(RateLimit.newBuilder().setRequestsPerMinute(1))
                            .build()))
        .hasMessageContaining("NOT_FOUND");
    assertThatThrownBy(
            () ->
                stub("wrong")
                    .setRateLimit(
                        SetRateLimitRequest.newBuilder()
                            .setPool("fast-path")
                            .setRateLimit(RateLimit.newBuilder().setRequestsPerMinute(1))
                            .build()))
        .hasMessageContaining("UNAUTHENTICATED");
    assertThat(publisher.version()).as("rejected calls change nothing").isEqualTo(afterSet);

    var removed =
        stub("secret")
            .removeRateLimit(RemoveRateLimitRequest.newBuilder().setPool("fast-path").build());

    assertThat(removed.hasRateLimit()).isFalse();
    assertThat(publisher.version()).isEqualTo(afterSet + 1);
  }
}
