package dev.semlb.xds.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.semlb.classifier.envoyroute.NativeRoutePlan;
import dev.semlb.classifier.envoyroute.NativeRule;
import dev.semlb.wire.WireContract;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.pools.PoolPolicy;
import dev.semlb.xds.pools.PoolsConfig;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/**
 * Builds the route table Envoy uses to turn {@code x-semantic-pool} into a pool's cluster (RDS,
 * name {@value #NAME}). Per pool, two routes: idempotent methods first (retried after resets and
 * 502/503/504 too), then any method (retried only when the upstream was never reached). Requests
 * with no or an unknown pool header take the default pool's routes. Retries skip hosts already
 * tried and, once a priority failed, move on to the next one (the fallback pools). The routes of a
 * pool that names a model observe LLM usage ({@link UsageObservation}). Pools with a rate limit
 * share one bucket per pool across all their routes ({@link RateLimits}). Stateless.
 */
final class Routes {

  /** The route configuration name the Envoy bootstrap asks for over RDS. */
  static final String NAME = WireContract.ROUTE_CONFIG_NAME;

  /** Methods that may be retried after the upstream saw them. */
  static final String IDEMPOTENT = "GET|HEAD|OPTIONS|PUT|DELETE|TRACE";

  private Routes() {}

  static RouteConfiguration of(PoolsConfig config) {
    return of(config, NativeRoutePlan.NONE);
  }

  /**
   * The route table with {@code plan}'s native routes first (in rule order; a rule whose pool the
   * pools file does not have is left to ext_proc), then the pool-header routes.
   */
  static RouteConfiguration of(PoolsConfig config, NativeRoutePlan plan) {
    VirtualHost.Builder host = VirtualHost.newBuilder().setName("semlb").addDomains("*");
    boolean limits = RateLimits.any(config);
    RateLimits.virtualHost(config)
        .ifPresent(c -> host.putTypedPerFilterConfig(WireContract.RATE_LIMIT_FILTER_NAME, c));
    for (NativeRule rule : plan.rules()) {
      config
          .pool(rule.rule().pool())
          .ifPresent(
              pool ->
                  NativeRoutes.routes(pool, rule)
                      .forEach(
                          r ->
                              host.addRoutes(
                                  RateLimits.route(
                                      UsageObservation.on(config, pool.name(), r), pool, limits))));
    }
    for (Pool pool : config.pools()) {
      HeaderMatcher poolHeader =
          HeaderMatcher.newBuilder()
              .setName(WireContract.POOL_HEADER)
              .setStringMatch(StringMatcher.newBuilder().setExact(pool.name()))
              .build();
      host.addRoutes(
          UsageObservation.on(
              config,
              pool.name(),
              route(pool, pool.name() + "/idempotent", true, poolHeader, limits)));
      host.addRoutes(
          UsageObservation.on(
              config, pool.name(), route(pool, pool.name(), false, poolHeader, limits)));
    }
    Pool fallback = config.pool(config.defaultPool()).orElseThrow();
    host.addRoutes(
        UsageObservation.on(
            config, fallback.name(), route(fallback, "default/idempotent", true, null, limits)));
    host.addRoutes(
        UsageObservation.on(
            config, fallback.name(), route(fallback, "default", false, null, limits)));
    return RouteConfiguration.newBuilder().setName(NAME).addVirtualHosts(host).build();
  }

  private static Route route(
      Pool pool, String name, boolean idempotent, HeaderMatcher poolHeader, boolean limits) {
    RouteMatch.Builder match = RouteMatch.newBuilder().setPrefix("/");
    if (poolHeader != null) {
      match.addHeaders(poolHeader);
    }
    if (idempotent) {
      match.addHeaders(idempotentMethod());
    }
    Route route =
        Route.newBuilder().setName(name).setMatch(match).setRoute(action(pool, idempotent)).build();
    return RateLimits.route(route, pool, limits);
  }

  /** Matches the methods that may be retried after the upstream saw them. */
  static HeaderMatcher idempotentMethod() {
    return HeaderMatcher.newBuilder()
        .setName(":method")
        .setStringMatch(
            StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(IDEMPOTENT)))
        .build();
  }

  /** Sends to {@code pool}'s cluster with its timeout, retries and hash policy. */
  static RouteAction action(Pool pool, boolean idempotent) {
    PoolPolicy policy = pool.policy();
    RouteAction.Builder action =
        RouteAction.newBuilder()
            .setCluster(pool.clusterName())
            .setTimeout(Clusters.proto(policy.requestTimeout()));
    if (policy.retries().attempts() > 0) {
      action.setRetryPolicy(retry(policy, idempotent));
    }
    if (policy.lbPolicy().hashed()) {
      action.addHashPolicy(
          RouteAction.HashPolicy.newBuilder()
              .setHeader(
                  RouteAction.HashPolicy.Header.newBuilder().setHeaderName(policy.hashHeader())));
    }
    return action.build();
  }

  private static RetryPolicy retry(PoolPolicy policy, boolean idempotent) {
    RetryPolicy.Builder retry =
        RetryPolicy.newBuilder()
            .setRetryOn(
                idempotent
                    ? "connect-failure,refused-stream,reset,gateway-error"
                    : "connect-failure,refused-stream")
            .setNumRetries(UInt32Value.of(policy.retries().attempts()))
            .setRetryPriority(
                RetryPolicy.RetryPriority.newBuilder()
                    .setName("envoy.retry_priorities.previous_priorities")
                    .setTypedConfig(
                        Any.pack(
                            PreviousPrioritiesConfig.newBuilder().setUpdateFrequency(1).build())))
            .addRetryHostPredicate(
                RetryPolicy.RetryHostPredicate.newBuilder()
                    .setName("envoy.retry_host_predicates.previous_hosts")
                    .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())))
            .setHostSelectionRetryMaxAttempts(3);
    if (!policy.retries().perTryTimeout().isZero()) {
      retry.setPerTryTimeout(Clusters.proto(policy.retries().perTryTimeout()));
    }
    return retry.build();
  }
}
