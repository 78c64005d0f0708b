package dev.semlb.xds.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.semlb.wire.WireContract;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.pools.RateLimit;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.LocalRateLimitDescriptor;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.XRateLimitHeadersRFCVersion;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.type.metadata.v3.MetadataKey;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.TokenBucket;
import java.util.Optional;

/**
 * Per-pool rate limits in the route table, for Envoy's local rate limit filter ({@link
 * WireContract#RATE_LIMIT_FILTER_NAME}, after ext_proc in the filter chain, so it sees the route
 * ext_proc's pool header picked). Stateless.
 *
 * <p>One pool must be one bucket, whichever of its routes a request takes (the pool-header routes,
 * native routes, the default routes), and Envoy gives every route-level filter config its own
 * bucket. So the limits live in one config on the virtual host, with one descriptor per limited
 * pool ({@value #DESCRIPTOR_KEY} = pool name) holding that pool's token bucket; each route of a
 * limited pool carries its pool name in route metadata ({@value #METADATA_NAMESPACE}), which the
 * config turns into the request's descriptor. Routes of unlimited pools get a route-level config
 * that leaves the filter disabled, so their requests are never counted. The 429 carries {@code
 * retry-after} (the seconds one token takes to come back, also from route metadata) and {@link
 * WireContract#POOL_HEADER}; every response of a limited pool carries {@code x-ratelimit-limit} and
 * {@code x-ratelimit-remaining}.
 *
 * <p>With no pool limited, the route table has none of this. Buckets are per Envoy process and
 * start full whenever Envoy takes a changed route table.
 */
final class RateLimits {

  /** Route metadata namespace with the pool name and retry-after of a limited pool's routes. */
  static final String METADATA_NAMESPACE = "semlb";

  /** The descriptor entry key that names a pool. */
  static final String DESCRIPTOR_KEY = "semlb_pool";

  /** Envoy stats prefix: {@code semlb_pool_rate_limit.http_local_rate_limit.rate_limited} etc. */
  static final String STAT_PREFIX = "semlb_pool_rate_limit";

  private static final RuntimeFractionalPercent ALL =
      RuntimeFractionalPercent.newBuilder()
          .setDefaultValue(FractionalPercent.newBuilder().setNumerator(100))
          .build();

  /**
   * Route-level config for routes of unlimited pools: the filter stays disabled (filter_enabled
   * defaults to 0%). Envoy wants a token bucket in any route-level config; this one is never used.
   */
  private static final Any OFF =
      Any.pack(
          LocalRateLimit.newBuilder()
              .setStatPrefix("semlb_pool_unlimited")
              .setTokenBucket(
                  TokenBucket.newBuilder()
                      .setMaxTokens(1)
                      .setFillInterval(com.google.protobuf.Duration.newBuilder().setSeconds(1)))
              .build());

  private RateLimits() {}

  /** Whether any pool of {@code config} has a rate limit. */
  static boolean any(PoolsConfig config) {
    return config.pools().stream().anyMatch(p -> p.policy().rateLimit().isPresent());
  }

  /** The virtual host's filter config, with one bucket per limited pool; empty if none is. */
  static Optional<Any> virtualHost(PoolsConfig config) {
    if (!any(config)) {
      return Optional.empty();
    }
    LocalRateLimit.Builder limit =
        LocalRateLimit.newBuilder()
            .setStatPrefix(STAT_PREFIX)
            // Reached only by a request no descriptor matches, which routes never make.
            .setTokenBucket(bucket(Integer.MAX_VALUE, Integer.MAX_VALUE, 1))
            .setAlwaysConsumeDefaultTokenBucket(com.google.protobuf.BoolValue.of(false))
            .setFilterEnabled(ALL)
            .setFilterEnforced(ALL)
            .setEnableXRatelimitHeaders(XRateLimitHeadersRFCVersion.DRAFT_VERSION_03)
            .addResponseHeadersToAdd(header("retry-after", "retryAfter"))
            .addResponseHeadersToAdd(header(WireContract.POOL_HEADER, "pool"))
            .addRateLimits(
                io.envoyproxy.envoy.config.route.v3.RateLimit.newBuilder()
                    .addActions(
                        io.envoyproxy.envoy.config.route.v3.RateLimit.Action.newBuilder()
                            .setMetadata(
                                io.envoyproxy.envoy.config.route.v3.RateLimit.Action.MetaData
                                    .newBuilder()
                                    .setDescriptorKey(DESCRIPTOR_KEY)
                                    .setMetadataKey(
                                        MetadataKey.newBuilder()
                                            .setKey(METADATA_NAMESPACE)
                                            .addPath(
                                                MetadataKey.PathSegment.newBuilder()
                                                    .setKey("pool")))
                                    .setSource(
                                        io.envoyproxy.envoy.config.route.v3.RateLimit.Action
                                            .MetaData.Source.ROUTE_ENTRY))));
    for (Pool pool : config.pools()) {
      pool.policy()
          .rateLimit()
          .ifPresent(
              l ->
                  limit.addDescriptors(
                      LocalRateLimitDescriptor.newBuilder()
                          .addEntries(
                              RateLimitDescriptor.Entry.newBuilder()
                                  .setKey(DESCRIPTOR_KEY)
                                  .setValue(pool.name()))
                          .setTokenBucket(bucket(l.burst(), l.requests(), l.per().seconds()))));
    }
    return Optional.of(Any.pack(limit.build()));
  }

  /**
   * {@code route} (of {@code pool}) as the rate limits need it when {@code active} (some pool is
   * limited): a limited pool's route gets its metadata, an unlimited pool's the disabled config.
   */
  static Route route(Route route, Pool pool, boolean active) {
    if (!active) {
      return route;
    }
    Optional<RateLimit> limit = pool.policy().rateLimit();
    if (limit.isEmpty()) {
      return route.toBuilder()
          .putTypedPerFilterConfig(WireContract.RATE_LIMIT_FILTER_NAME, OFF)
          .build();
    }
    Struct values =
        Struct.newBuilder()
            .putFields("pool", Value.newBuilder().setStringValue(pool.name()).build())
            .putFields(
                "retryAfter",
                Value.newBuilder()
                    .setStringValue(Integer.toString(limit.get().retryAfterSeconds()))
                    .build())
            .build();
    Route.Builder out = route.toBuilder();
    out.getMetadataBuilder().putFilterMetadata(METADATA_NAMESPACE, values);
    return out.build();
  }

  private static TokenBucket bucket(int maxTokens, int tokensPerFill, int seconds) {
    return TokenBucket.newBuilder()
        .setMaxTokens(maxTokens)
        .setTokensPerFill(UInt32Value.of(tokensPerFill))
        .setFillInterval(com.google.protobuf.Duration.newBuilder().setSeconds(seconds))
        .build();
  }

  /** A response header whose value is a string from the route's {@value #METADATA_NAMESPACE}. */
  private static HeaderValueOption header(String name, String key) {
    return HeaderValueOption.newBuilder()
        .setHeader(
            HeaderValue.newBuilder()
                .setKey(name)
                .setValue("%METADATA(ROUTE:" + METADATA_NAMESPACE + ":" + key + ")%"))
        .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .build();
  }
}
