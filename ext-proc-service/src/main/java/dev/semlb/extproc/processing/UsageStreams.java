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
 * Tells observing ext_proc streams (LLM usage) from routing ones: a route that observes names its
 * pool in the stream's initial metadata ({@value WireContract#USAGE_POOL_METADATA}), which this
 * interceptor puts into the call's {@link Context} for {@link ExternalProcessorService} to read
 * when the stream starts. Stateless; thread-safe.
 */
public final class UsageStreams implements ServerInterceptor {

  /** The pool an observing stream's route named; null on routing streams. */
  static final Context.Key<String> POOL = Context.key("semlb-usage-pool");

  private static final Metadata.Key<String> POOL_METADATA =
      Metadata.Key.of(WireContract.USAGE_POOL_METADATA, Metadata.ASCII_STRING_MARSHALLER);

  /** {@code service} with this interceptor in front. */
  public static BindableService bind(BindableService service) {
    return () -> ServerInterceptors.intercept(service, new UsageStreams());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String pool = headers.get(POOL_METADATA);
    if (pool == null) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(Context.current().withValue(POOL, pool), call, headers, next);
  }
}
