package dev.semlb.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.config.Flags;
import dev.semlb.wire.WireContract;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GrpcWorkerTest {

  record Result(Status status, Metadata headers, List<byte[]> messages) {}

  /** Sends {@code count} messages on any method, half-closes, collects what comes back. */
  static Result call(ManagedChannel channel, String method, int count) throws Exception {
    return call(channel, method, count, new Metadata());
  }

  static Result call(ManagedChannel channel, String method, int count, Metadata metadata)
      throws Exception {
    MethodDescriptor<byte[], byte[]> descriptor =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(method)
            .setRequestMarshaller(GrpcWorker.BYTES)
            .setResponseMarshaller(GrpcWorker.BYTES)
            .build();
    ClientCall<byte[], byte[]> call = channel.newCall(descriptor, CallOptions.DEFAULT);
    CompletableFuture<Result> done = new CompletableFuture<>();
    List<byte[]> messages = new CopyOnWriteArrayList<>();
    Metadata[] headers = new Metadata[1];
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onHeaders(Metadata h) {
            headers[0] = h;
          }

          @Override
          public void onMessage(byte[] message) {
            messages.add(message);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            done.complete(new Result(status, headers[0], messages));
          }
        },
        metadata);
    call.request(Integer.MAX_VALUE);
    for (int i = 0; i < count; i++) {
      call.sendMessage(new byte[] {0x0a, 0x01, (byte) ('a' + i)});
    }
    call.halfClose();
    return done.get(5, TimeUnit.SECONDS);
  }

  @Test
  void anyMethod_isAnsweredWithOneEmptyMessagePerRequest_andNamesItsPool() throws Exception {
    try (GrpcWorker worker =
        GrpcWorker.start(
            new WorkerConfig(
                "fast-path", "127.0.0.1", 0, "fp-1", WorkProfile.NONE, null, null, true))) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", worker.port()).usePlaintext().build();
      try {
        Result unary = call(channel, "any.pkg.Service/Method", 1);
        assertThat(unary.status().isOk()).isTrue();
        assertThat(unary.messages()).hasSize(1).allSatisfy(m -> assertThat(m).isEmpty());
        assertThat(
                unary
                    .headers()
                    .get(
                        Metadata.Key.of(
                            WireContract.SERVED_BY_POOL_HEADER, Metadata.ASCII_STRING_MARSHALLER)))
            .isEqualTo("fast-path");
        Result stream = call(channel, "other.Svc/Watch", 3);
        assertThat(stream.status().isOk()).isTrue();
        assertThat(stream.messages()).hasSize(3);
        assertThat(worker.served()).isEqualTo(2);
        Metadata fail = new Metadata();
        fail.put(
            Metadata.Key.of(GrpcWorker.DEMO_STATUS_HEADER, Metadata.ASCII_STRING_MARSHALLER), "14");
        Result failed = call(channel, "any.pkg.Service/Method", 1, fail);
        assertThat(failed.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(failed.messages()).isEmpty();
        assertThat(
                failed
                    .headers()
                    .get(
                        Metadata.Key.of(
                            WireContract.SERVED_BY_POOL_HEADER, Metadata.ASCII_STRING_MARSHALLER)))
            .as("the response headers still name the pool")
            .isEqualTo("fast-path");
        HealthCheckResponse health =
            HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void grpcFlag_withModelOrWorkFlags_isRefused() {
    WorkerConfig grpc = WorkerConfig.fromFlags(flags("--pool", "general", "--grpc"));
    assertThat(grpc.grpc()).isTrue();
    assertThatThrownBy(
            () -> WorkerConfig.fromFlags(flags("--pool", "general", "--grpc", "--llm-model", "m")))
        .hasMessageContaining("grpc: true (expected: without --llm-model");
    assertThatThrownBy(
            () -> WorkerConfig.fromFlags(flags("--pool", "general", "--grpc", "--latency", "5ms")))
        .hasMessageContaining("work-profile flags");
  }

  private static Flags flags(String... args) {
    return Flags.parse(args, Map.of());
  }
}
