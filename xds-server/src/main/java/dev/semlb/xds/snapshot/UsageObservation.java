package dev.semlb.xds.snapshot;

import com.google.protobuf.Any;
import dev.semlb.wire.WireContract;
import dev.semlb.xds.pools.PoolsConfig;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExtProcOverrides;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExtProcPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;

/**
 * Turns on the observing ext_proc filter ({@value WireContract#USAGE_FILTER_NAME}, LLM usage
 * metrics) on the routes of pools that name a model. In {@code envoy/envoy.yaml} that filter runs
 * in observability mode with every phase off, so a route without this config costs nothing; a route
 * with it streams the request headers, response headers, every response body chunk as it passes
 * (never buffered: Envoy does not wait for ext-proc-service) and any response trailers, on a gRPC
 * stream whose initial metadata {@value WireContract#USAGE_POOL_METADATA} names the route's pool
 * (the route decides the pool, whether a header, a native rule or the catch-all led there).
 * Stateless.
 */
final class UsageObservation {

  private static final ProcessingMode OBSERVE =
      ProcessingMode.newBuilder()
          .setRequestHeaderMode(HeaderSendMode.SEND)
          .setRequestBodyMode(BodySendMode.NONE)
          .setRequestTrailerMode(HeaderSendMode.SKIP)
          .setResponseHeaderMode(HeaderSendMode.SEND)
          .setResponseBodyMode(BodySendMode.STREAMED)
          .setResponseTrailerMode(HeaderSendMode.SEND)
          .build();

  private UsageObservation() {}

  /** {@code route} with usage observation on if {@code pool} names a model in {@code config}. */
  static Route on(PoolsConfig config, String pool, Route route) {
    if (!config.servesModel(pool)) {
      return route;
    }
    return route.toBuilder()
        .putTypedPerFilterConfig(WireContract.USAGE_FILTER_NAME, perRoute(pool))
        .build();
  }

  /** The per-route config that observes {@code pool}'s LLM responses. */
  static Any perRoute(String pool) {
    return Any.pack(
        ExtProcPerRoute.newBuilder()
            .setOverrides(
                ExtProcOverrides.newBuilder()
                    .setProcessingMode(OBSERVE)
                    .addGrpcInitialMetadata(
                        HeaderValue.newBuilder()
                            .setKey(WireContract.USAGE_POOL_METADATA)
                            .setValue(pool)))
            .build());
  }
}
