package dev.semlb.extproc.processing;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * An {@link ExternalProcessorService} served on grpc-java's in-process transport (direct executor),
 * with a real client stub: what the stream tests of this package start before each test and close
 * after it.
 */
final class InProcessService implements AutoCloseable {

  private final Server server;
  private final ManagedChannel channel;
  private final ExternalProcessorGrpc.ExternalProcessorStub stub;

  InProcessService(ExternalProcessorService service) throws IOException {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = ExternalProcessorGrpc.newStub(channel);
  }

  /** A stub on the in-process channel. */
  ExternalProcessorGrpc.ExternalProcessorStub stub() {
    return stub;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
