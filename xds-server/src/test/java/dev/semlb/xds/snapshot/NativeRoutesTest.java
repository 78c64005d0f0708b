package dev.semlb.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.envoyroute.NativeRoutePlan;
import dev.semlb.wire.WireContract;
import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.pools.PoolsConfigLoader;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExtProcPerRoute;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeRoutesTest {

  private static final String ROUTING =
      """
      defaultPool: general
      pools:
        - name: fast-path
        - name: general
        - name: orphan
      rules:
        - name: probes
          pool: fast-path
          match:
            methods: [GET, HEAD]
            path: { regex: "/(healthz|ping)/?" }
        - name: deletes
          pool: general
          match:
            methods: [DELETE, POST]
            headers: [{ name: x-tenant, prefix: acme, ignoreCase: true }]
        - name: not-in-pools-file
          pool: orphan
          match:
            methods: [PUT]
      """;

  private static RouteConfiguration routes() throws Exception {
    PoolsConfig pools =
        PoolsConfigLoader.parse(
            "pools.yaml",
            """
            pools:
              - { name: general, endpoints: [10.0.0.1:9001] }
              - { name: fast-path, endpoints: [10.0.0.2:9001] }
            """);
    NativeRoutePlan plan = RoutingConfigLoader.parse("routing.yaml", ROUTING).nativeRoutes();
    return Routes.of(pools, plan);
  }

  @Test
  void nativeRoutesComeFirst_inRuleOrder_withExtProcOffAndThePoolHeaderSet() throws Exception {
    List<Route> routes = routes().getVirtualHosts(0).getRoutesList();
    assertThat(routes.stream().map(Route::getName).limit(4))
        .containsExactly("rule/probes", "rule/deletes", "rule/deletes", "general/idempotent");

    Route probes = routes.get(0);
    assertThat(probes.getStatPrefix()).isEqualTo("native_probes");
    assertThat(routes.get(2).getStatPrefix())
        .as("both routes of a rule share its counters")
        .isEqualTo(routes.get(1).getStatPrefix());
    assertThat(probes.getMatch().getSafeRegex().getRegex()).isEqualTo("/(healthz|ping)/?");
    assertThat(probes.getRoute().getCluster()).isEqualTo("semlb-pool-fast-path");
    assertThat(probes.getRequestHeadersToAdd(0).getHeader().getKey())
        .isEqualTo(WireContract.POOL_HEADER);
    assertThat(probes.getRequestHeadersToAdd(0).getHeader().getValue()).isEqualTo("fast-path");
    assertThat(
            probes
                .getTypedPerFilterConfigOrThrow(WireContract.EXT_PROC_FILTER_NAME)
                .unpack(ExtProcPerRoute.class)
                .getDisabled())
        .isTrue();
    HeaderMatcher guard =
        probes.getMatch().getHeadersList().stream()
            .filter(h -> h.getName().equals(WireContract.POOL_HEADER))
            .findFirst()
            .orElseThrow();
    assertThat(guard.hasPresentMatch() && !guard.getPresentMatch()).isTrue();
    // Only idempotent methods: one route, retried like the pool's idempotent route.
    assertThat(probes.getRoute().getRetryPolicy().getRetryOn()).contains("gateway-error");
  }

  @Test
  void mixedMethods_getAnIdempotentRouteThenTheRest() throws Exception {
    List<Route> routes = routes().getVirtualHosts(0).getRoutesList();
    Route idempotent = routes.get(1);
    Route rest = routes.get(2);
    assertThat(idempotent.getMatch().getHeadersList().stream().map(HeaderMatcher::getName))
        .containsExactly(":method", "x-tenant", WireContract.POOL_HEADER, ":method");
    assertThat(idempotent.getMatch().getHeaders(1).getStringMatch().getPrefix()).isEqualTo("acme");
    assertThat(idempotent.getMatch().getHeaders(1).getStringMatch().getIgnoreCase()).isTrue();
    assertThat(rest.getMatch().getHeadersCount()).isEqualTo(3);
    assertThat(rest.getRoute().getRetryPolicy().getRetryOn()).doesNotContain("gateway-error");
  }
}
