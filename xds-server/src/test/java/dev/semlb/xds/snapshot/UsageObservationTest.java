package dev.semlb.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.envoyroute.NativeRoutePlan;
import dev.semlb.wire.WireContract;
import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.pools.PoolsConfigLoader;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExtProcPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UsageObservationTest {

  private static final String POOLS =
      """
      defaultPool: chat
      pools:
        - { name: code, model: demo-code-7b, endpoints: [10.0.0.1:9001] }
        - { name: chat, model: demo-chat-8b, endpoints: [10.0.0.2:9001] }
        - { name: plain, endpoints: [10.0.0.3:9001] }
      """;

  private static List<Route> routes(String pools, String routing) throws Exception {
    PoolsConfig config = PoolsConfigLoader.parse("pools.yaml", pools);
    NativeRoutePlan plan =
        routing == null
            ? NativeRoutePlan.NONE
            : RoutingConfigLoader.parse("routing.yaml", routing).nativeRoutes();
    return Routes.of(config, plan).getVirtualHosts(0).getRoutesList();
  }

  /** Route name -> the pool its usage observation names, for the routes that observe. */
  private static Map<String, String> observed(List<Route> routes) throws Exception {
    Map<String, String> pools = new java.util.LinkedHashMap<>();
    for (Route route : routes) {
      if (route.containsTypedPerFilterConfig(WireContract.USAGE_FILTER_NAME)) {
        ExtProcPerRoute config =
            route
                .getTypedPerFilterConfigOrThrow(WireContract.USAGE_FILTER_NAME)
                .unpack(ExtProcPerRoute.class);
        assertThat(config.getOverrides().getGrpcInitialMetadataList())
            .singleElement()
            .satisfies(h -> assertThat(h.getKey()).isEqualTo(WireContract.USAGE_POOL_METADATA));
        pools.put(route.getName(), config.getOverrides().getGrpcInitialMetadata(0).getValue());
      }
    }
    return pools;
  }

  @Test
  void poolsWithAModel_observeOnTheirRoutesAndTheDefaultRoutes_othersNot() throws Exception {
    List<Route> routes = routes(POOLS, null);

    assertThat(observed(routes))
        .containsExactly(
            Map.entry("code/idempotent", "code"),
            Map.entry("code", "code"),
            Map.entry("chat/idempotent", "chat"),
            Map.entry("chat", "chat"),
            Map.entry("default/idempotent", "chat"),
            Map.entry("default", "chat"));
    assertThat(routes.stream().map(Route::getName).collect(Collectors.toList()))
        .contains("plain", "plain/idempotent");
  }

  @Test
  void observation_streamsResponseBodies_neverBuffers_andReadsNoRequestBody() throws Exception {
    Route code = routes(POOLS, null).get(0);
    ProcessingMode mode =
        code.getTypedPerFilterConfigOrThrow(WireContract.USAGE_FILTER_NAME)
            .unpack(ExtProcPerRoute.class)
            .getOverrides()
            .getProcessingMode();

    assertThat(mode.getResponseBodyMode()).isEqualTo(ProcessingMode.BodySendMode.STREAMED);
    assertThat(mode.getRequestBodyMode()).isEqualTo(ProcessingMode.BodySendMode.NONE);
    assertThat(mode.getRequestHeaderMode()).isEqualTo(ProcessingMode.HeaderSendMode.SEND);
    assertThat(mode.getResponseHeaderMode()).isEqualTo(ProcessingMode.HeaderSendMode.SEND);
  }

  @Test
  void nativeRoutesToAModelPool_observeToo_withTheirPoolNamed() throws Exception {
    String routing =
        """
        defaultPool: chat
        pools: [{ name: code }, { name: chat }, { name: plain }]
        rules:
          - name: embeddings
            pool: code
            match: { methods: [POST], path: { exact: /v1/embeddings } }
          - name: probes
            pool: plain
            match: { methods: [GET], path: { exact: /healthz } }
        """;

    Map<String, String> observed = observed(routes(POOLS, routing));

    assertThat(observed).containsEntry("rule/embeddings", "code").doesNotContainKey("rule/probes");
  }

  @Test
  void noModels_noObservationAnywhere() throws Exception {
    List<Route> routes =
        routes("pools:\n  - { name: general, endpoints: [10.0.0.1:9001] }\n", null);

    assertThat(observed(routes)).isEmpty();
  }
}
