package dev.semlb.worker;

import dev.semlb.config.Launcher;
import dev.semlb.wire.WireContract;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo gRPC upstream for one pool (HTTP/2 cleartext): it answers every method of any service with
 * one empty message per request message (an empty message is valid for every protobuf type), then
 * OK, and says which pool it is in its response headers ({@code x-served-by-pool}, {@code
 * x-served-by-worker}). A call with {@value #DEMO_STATUS_HEADER} is failed with that status. It
 * also serves {@code grpc.health.v1} (SERVING), which the pool's {@code healthCheck: { grpc: true
 * }} in pools.yaml uses and which makes xds-server speak HTTP/2 to it.
 *
 * <p>No generated code and no descriptor: messages pass as bytes. Thread-safe.
 */
public final class GrpcWorker implements Launcher.Running, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GrpcWorker.class);
  private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /** Messages as raw bytes: the worker answers any method without knowing its types. */
  public static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      };

  private static final Metadata.Key<String> POOL =
      Metadata.Key.of(WireContract.SERVED_BY_POOL_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> WORKER =
      Metadata.Key.of(WireContract.SERVED_BY_WORKER_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  /**
   * A request header with a gRPC status code (1-16): the call is answered with that status (in the
   * trailers, after the client ends its stream) instead of messages. For demos and tests of how
   * failed calls are counted.
   */
  public static final String DEMO_STATUS_HEADER = "x-demo-grpc-status";

  private static final Metadata.Key<String> DEMO_STATUS =
      Metadata.Key.of(DEMO_STATUS_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  private final WorkerConfig config;
  private final Server server;
  private final HealthStatusManager health;
  private final AtomicLong served;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private GrpcWorker(
      WorkerConfig config, Server server, HealthStatusManager health, AtomicLong served) {
    this.config = config;
    this.server = server;
    this.health = health;
    this.served = served;
  }

  /** Binds the port and starts serving. */
  public static GrpcWorker start(WorkerConfig config) throws IOException {
    AtomicLong served = new AtomicLong();
    HealthStatusManager health = new HealthStatusManager();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
            .addService(health.getHealthService())
            .fallbackHandlerRegistry(new AnyMethod(served))
            .intercept(new ServedBy(config))
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            // Envoy keeps upstream connections open and may ping them.
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .build()
            .start();
    log.info(
        "gRPC worker {} for pool {} listening on {}:{}",
        config.id(),
        config.pool(),
        config.host(),
        server.getPort());
    return new GrpcWorker(config, server, health, served);
  }

  /** The bound port. */
  public int port() {
    return server.getPort();
  }

  /** The pool this worker serves. */
  public String pool() {
    return config.pool();
  }

  /** How many calls this worker has answered (health checks not counted). */
  public long served() {
    return served.get();
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    stopped.countDown();
  }

  /** Names the pool and worker in the response headers of every call. */
  private static final class ServedBy implements ServerInterceptor {

    private final WorkerConfig config;

    ServedBy(WorkerConfig config) {
      this.config = config;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      ServerCall<Q, R> named =
          new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              responseHeaders.put(POOL, config.pool());
              responseHeaders.put(WORKER, config.id());
              super.sendHeaders(responseHeaders);
            }
          };
      Status demanded = demanded(headers.get(DEMO_STATUS));
      if (demanded == null) {
        return next.startCall(named, headers);
      }
      // A demo failure: headers now, the status in the trailers once the client is done.
      named.sendHeaders(new Metadata());
      named.request(Integer.MAX_VALUE);
      return new ServerCall.Listener<>() {
        @Override
        public void onHalfClose() {
          named.close(demanded, new Metadata());
        }
      };
    }

    /** The failure a call asks for with {@value #DEMO_STATUS_HEADER}, or null for none or OK. */
    private static Status demanded(String value) {
      if (value == null) {
        return null;
      }
      try {
        int code = Integer.parseInt(value.trim());
        return code <= 0 || code > 16
            ? null
            : Status.fromCodeValue(code).withDescription("demo failure");
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** One call: an empty message for each one received, OK when the client ends its stream. */
  private static final class Answers implements StreamObserver<byte[]> {

    private final StreamObserver<byte[]> responses;

    Answers(StreamObserver<byte[]> responses) {
      this.responses = responses;
    }

    @Override
    public void onNext(byte[] request) {
      responses.onNext(new byte[0]);
    }

    @Override
    public void onError(Throwable t) {
      log.debug("call ended by the client: {}", t.toString());
    }

    @Override
    public void onCompleted() {
      responses.onCompleted();
    }
  }

  /** Serves any method name as a bidi stream of raw messages: one empty answer per message. */
  private static final class AnyMethod extends HandlerRegistry {

    private final ServerCallHandler<byte[], byte[]> handler;

    AnyMethod(AtomicLong served) {
      this.handler =
          ServerCalls.asyncBidiStreamingCall(
              responses -> {
                served.incrementAndGet();
                return new Answers(responses);
              });
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      MethodDescriptor<byte[], byte[]> method =
          MethodDescriptor.<byte[], byte[]>newBuilder()
              .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
              .setFullMethodName(methodName)
              .setRequestMarshaller(BYTES)
              .setResponseMarshaller(BYTES)
              .build();
      return ServerMethodDefinition.create(method, handler);
    }
  }
}
