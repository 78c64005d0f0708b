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
 * Tells the three kinds of ext_proc stream apart by their initial gRPC metadata and puts the answer
 * into the call's {@link Context} for {@link ExternalProcessorService} to read when the stream
 * starts:
 *
 * <ul>
 *   <li>{@value WireContract#UPSTREAM_STREAM_METADATA}{@code : upstream}: the upstream model
 *       filter's per-attempt stream ({@link #UPSTREAM});
 *   <li>{@value WireContract#USAGE_POOL_METADATA}{@code : <pool>}: an observing (LLM usage) stream
 *       of a route of that pool ({@link #POOL});
 *   <li>neither: a routing stream.
 * </ul>
 *
 * Stateless; thread-safe.
 */
public final class StreamKinds implements ServerInterceptor {

  /** Whether the current call is an upstream filter's (per-attempt) stream. */
  static final Context.Key<Boolean> UPSTREAM = Context.keyWithDefault("semlb-upstream", false);

  /** The pool an observing stream's route named; null on other streams. */
  static final Context.Key<String> POOL = Context.key("semlb-usage-pool");

  private static final Metadata.Key<String> STAGE =
      Metadata.Key.of(WireContract.UPSTREAM_STREAM_METADATA, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> POOL_METADATA =
      Metadata.Key.of(WireContract.USAGE_POOL_METADATA, Metadata.ASCII_STRING_MARSHALLER);

  /** {@code service} with this interceptor in front. */
  public static BindableService bind(BindableService service) {
    return () -> ServerInterceptors.intercept(service, new StreamKinds());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if ("upstream".equals(headers.get(STAGE))) {
      return Contexts.interceptCall(
          Context.current().withValue(UPSTREAM, true), call, headers, next);
    }
    String pool = headers.get(POOL_METADATA);
    if (pool != null) {
      return Contexts.interceptCall(Context.current().withValue(POOL, pool), call, headers, next);
    }
    return next.startCall(call, headers);
  }
}
