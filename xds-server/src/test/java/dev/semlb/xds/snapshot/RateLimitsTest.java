package dev.semlb.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.envoyroute.NativeRoutePlan;
import dev.semlb.wire.WireContract;
import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.pools.PoolsConfigLoader;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  private static final String ROUTING =
      """
      defaultPool: general
      pools: [{ name: fast-path }, { name: general }]
      rules:
        - name: probes
          pool: fast-path
          match: { methods: [GET], path: { exact: /healthz } }
      """;

  private static RouteConfiguration routes(String pools) throws Exception {
    PoolsConfig config = PoolsConfigLoader.parse("pools.yaml", pools);
    NativeRoutePlan plan = RoutingConfigLoader.parse("routing.yaml", ROUTING).nativeRoutes();
    return Routes.of(config, plan);
  }

  private static LocalRateLimit hostLimit(VirtualHost host) throws Exception {
    return host.getTypedPerFilterConfigOrThrow(WireContract.RATE_LIMIT_FILTER_NAME)
        .unpack(LocalRateLimit.class);
  }

  /** Route name to the pool its metadata names, or "off", or "none". */
  private static Map<String, String> byRoute(VirtualHost host) {
    return host.getRoutesList().stream()
        .collect(
            Collectors.toMap(
                Route::getName,
                r ->
                    r.getMetadata().containsFilterMetadata(RateLimits.METADATA_NAMESPACE)
                        ? r.getMetadata()
                            .getFilterMetadataOrThrow(RateLimits.METADATA_NAMESPACE)
                            .getFieldsOrThrow("pool")
                            .getStringValue()
                        : r.containsTypedPerFilterConfig(WireContract.RATE_LIMIT_FILTER_NAME)
                            ? "off"
                            : "none",
                (a, b) -> a.equals(b) ? a : a + "|" + b));
  }

  @Test
  void limitedPool_oneBucketOnTheVirtualHost_sharedByEveryRouteOfThePool() throws Exception {
    VirtualHost host =
        routes(
                """
            pools:
              - { name: general }
              - { name: fast-path, rateLimit: { requestsPerMinute: 6, burst: 3 } }
            """)
            .getVirtualHosts(0);

    LocalRateLimit limit = hostLimit(host);
    assertThat(limit.getDescriptorsList()).hasSize(1);
    var descriptor = limit.getDescriptors(0);
    assertThat(descriptor.getEntries(0).getKey()).isEqualTo(RateLimits.DESCRIPTOR_KEY);
    assertThat(descriptor.getEntries(0).getValue()).isEqualTo("fast-path");
    assertThat(descriptor.getTokenBucket().getMaxTokens()).isEqualTo(3);
    assertThat(descriptor.getTokenBucket().getTokensPerFill().getValue()).isEqualTo(6);
    assertThat(descriptor.getTokenBucket().getFillInterval().getSeconds()).isEqualTo(60);
    assertThat(limit.getFilterEnforced().getDefaultValue().getNumerator()).isEqualTo(100);
    assertThat(limit.getAlwaysConsumeDefaultTokenBucket().getValue()).isFalse();
    assertThat(limit.getRateLimits(0).getActions(0).getMetadata().getMetadataKey().getKey())
        .isEqualTo(RateLimits.METADATA_NAMESPACE);
    assertThat(limit.getResponseHeadersToAddList())
        .extracting(h -> h.getHeader().getKey() + "=" + h.getHeader().getValue())
        .containsExactly(
            "retry-after=%METADATA(ROUTE:semlb:retryAfter)%",
            WireContract.POOL_HEADER + "=%METADATA(ROUTE:semlb:pool)%");

    // Native route, pool-header routes: fast-path's carry its name; general's (also the
    // default routes) keep the filter off.
    assertThat(byRoute(host))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "rule/probes", "fast-path",
                "fast-path/idempotent", "fast-path",
                "fast-path", "fast-path",
                "general/idempotent", "off",
                "general", "off",
                "default/idempotent", "off",
                "default", "off"));
    Route fast =
        host.getRoutesList().stream()
            .filter(r -> r.getName().equals("fast-path"))
            .findFirst()
            .orElseThrow();
    assertThat(
            fast.getMetadata()
                .getFilterMetadataOrThrow(RateLimits.METADATA_NAMESPACE)
                .getFieldsOrThrow("retryAfter")
                .getStringValue())
        .isEqualTo("10");
  }

  @Test
  void limitedDefaultPool_defaultRoutesShareItsBucket() throws Exception {
    VirtualHost host =
        routes(
                """
            pools:
              - { name: general, rateLimit: { requestsPerSecond: 100 } }
              - { name: fast-path }
            """)
            .getVirtualHosts(0);

    assertThat(hostLimit(host).getDescriptors(0).getTokenBucket().getMaxTokens()).isEqualTo(100);
    assertThat(byRoute(host))
        .containsEntry("default", "general")
        .containsEntry("default/idempotent", "general")
        .containsEntry("rule/probes", "off");
  }

  @Test
  void noLimits_leaveTheRouteTableAsBefore() throws Exception {
    String pools = "pools: [{ name: general }, { name: fast-path }]\n";
    VirtualHost host = routes(pools).getVirtualHosts(0);

    assertThat(host.getTypedPerFilterConfigMap()).isEmpty();
    assertThat(byRoute(host).values()).containsOnly("none");
    assertThat(host.getRoutesList().stream().map(Route::hasMetadata).distinct().toList())
        .isEqualTo(List.of(false));
  }

  @Test
  void limitedModelPool_keepsItsUsageObservation() throws Exception {
    VirtualHost host =
        routes(
                """
            pools:
              - { name: general }
              - { name: fast-path, model: demo-fast-1b, rateLimit: { requestsPerSecond: 5 } }
            """)
            .getVirtualHosts(0);

    Route fast =
        host.getRoutesList().stream()
            .filter(r -> r.getName().equals("fast-path"))
            .findFirst()
            .orElseThrow();
    assertThat(fast.containsTypedPerFilterConfig(WireContract.USAGE_FILTER_NAME)).isTrue();
    assertThat(fast.getMetadata().containsFilterMetadata(RateLimits.METADATA_NAMESPACE)).isTrue();
    assertThat(byRoute(host)).containsEntry("rule/probes", "fast-path");
  }
}
