package dev.semlb.e2e.support;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server in place of ext-proc-service that accepts every ext_proc stream and every health
 * check and answers neither: a classifier stalled past Envoy's message timeout, as SIGSTOP would
 * leave it (connections accepted, nothing answered).
 */
final class StalledExtProc {

  private StalledExtProc() {}

  /** Starts one on {@code port}; closing it stops it. */
  static AutoCloseable start(int port) throws Exception {
    Server stalled =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(
                new ExternalProcessorGrpc.ExternalProcessorImplBase() {
                  @Override
                  public StreamObserver<ProcessingRequest> process(
                      StreamObserver<ProcessingResponse> out) {
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(ProcessingRequest request) {
                        // never answer
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        out.onCompleted();
                      }
                    };
                  }
                })
            .addService(
                new HealthGrpc.HealthImplBase() {
                  @Override
                  public void check(
                      HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
                    // never answer
                  }
                })
            .build()
            .start();
    return () -> {
      stalled.shutdownNow();
      stalled.awaitTermination(5, TimeUnit.SECONDS);
    };
  }
}
