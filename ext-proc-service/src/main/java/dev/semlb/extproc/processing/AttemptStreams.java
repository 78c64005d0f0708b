package dev.semlb.extproc.processing;

import dev.semlb.wire.WireContract;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;

/**
 * Tells the upstream model filter's streams (one per attempt, after Envoy chose the host) from
 * routing ones: that filter opens them with {@value WireContract#UPSTREAM_STREAM_METADATA}{@code :
 * upstream} in the initial metadata, which this interceptor puts into the call's {@link Context}
 * for {@link ExternalProcessorService} to read when the stream starts. Stateless; thread-safe.
 */
public final class AttemptStreams implements ServerInterceptor {

  /** Whether the current call is an upstream filter's (per-attempt) stream. */
  static final Context.Key<Boolean> UPSTREAM = Context.keyWithDefault("semlb-upstream", false);

  private static final Metadata.Key<String> STAGE =
      Metadata.Key.of(WireContract.UPSTREAM_STREAM_METADATA, Metadata.ASCII_STRING_MARSHALLER);

  /** {@code service} with this interceptor in front. */
  public static BindableService bind(BindableService service) {
    return () -> ServerInterceptors.intercept(service, new AttemptStreams());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!"upstream".equals(headers.get(STAGE))) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(Context.current().withValue(UPSTREAM, true), call, headers, next);
  }
}
