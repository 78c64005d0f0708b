package dev.semlb.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.xds.type.matcher.v3.CelMatcher;
import com.github.xds.type.matcher.v3.HttpAttributesCelMatchInput;
import com.github.xds.type.matcher.v3.Matcher;
import dev.cel.expr.Expr;
import dev.semlb.wire.WireContract;
import dev.semlb.xds.pools.PoolsConfigLoader;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.common.matching.v3.ExtensionWithMatcher;
import io.envoyproxy.envoy.extensions.filters.common.matcher.action.v3.SkipFilter;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The endpoint metadata and upstream filter of model pools (per-attempt model rewrite). */
class ModelPoolResourcesTest {

  private static final String HTTP_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private static final String POOLS =
      """
      defaultPool: chat
      pools:
        - { name: code, model: demo-code-7b, endpoints: [10.0.0.1:9001] }
        - { name: chat, model: demo-chat-8b, endpoints: [10.0.0.2:9002] }
        - { name: echo, fallback: [], endpoints: [10.0.0.3:9003] }
        - { name: embed, fallback: [code], endpoints: [10.0.0.4:9004] }
        - { name: grpc, fallback: [chat], healthCheck: { grpc: true }, endpoints: [10.0.0.5:9005] }
      """;

  private static PoolResources build(String yaml) throws Exception {
    return PoolResources.build(
        ServedPools.merge(PoolsConfigLoader.parse("pools.yaml", yaml), Map.of()),
        host -> List.of(host));
  }

  private static Cluster cluster(PoolResources resources, String pool) {
    return resources.clusters().stream()
        .filter(c -> c.getName().equals("semlb-pool-" + pool))
        .findFirst()
        .orElseThrow();
  }

  /** The model in each priority's endpoint metadata ("" for none), by priority. */
  private static List<String> models(PoolResources resources, String pool) {
    ClusterLoadAssignment cla =
        resources.loadAssignments().stream()
            .filter(c -> c.getClusterName().equals("semlb-pool-" + pool))
            .findFirst()
            .orElseThrow();
    return cla.getEndpointsList().stream()
        .map(LocalityLbEndpoints::getLbEndpointsList)
        .map(
            endpoints ->
                endpoints
                    .get(0)
                    .getMetadata()
                    .getFilterMetadataOrDefault(
                        WireContract.HOST_METADATA_NAMESPACE,
                        com.google.protobuf.Struct.getDefaultInstance())
                    .getFieldsOrDefault(
                        WireContract.HOST_MODEL_KEY, com.google.protobuf.Value.getDefaultInstance())
                    .getStringValue())
        .toList();
  }

  private static HttpProtocolOptions options(Cluster cluster) throws Exception {
    return cluster
        .getTypedExtensionProtocolOptionsOrThrow(HTTP_OPTIONS)
        .unpack(HttpProtocolOptions.class);
  }

  @Test
  void endpoints_carryTheirPoolsModel_atEveryPriorityOfEveryCluster() throws Exception {
    PoolResources resources = build(POOLS);

    assertThat(models(resources, "code")).containsExactly("demo-code-7b", "demo-chat-8b");
    assertThat(models(resources, "chat")).containsExactly("demo-chat-8b");
    assertThat(models(resources, "echo")).containsExactly("");
    assertThat(models(resources, "embed")).containsExactly("", "demo-code-7b");
  }

  @Test
  void clustersThatCanReachAnotherModel_runTheUpstreamModelFilter_thenTheCodec() throws Exception {
    PoolResources resources = build(POOLS);

    for (String pool : List.of("code", "embed")) {
      HttpProtocolOptions options = options(cluster(resources, pool));
      assertThat(options.getHttpFiltersList())
          .extracting(HttpFilter::getName)
          .as(pool)
          .containsExactly(UpstreamModelFilter.NAME, "envoy.filters.http.upstream_codec");
      assertThat(options.getExplicitHttpConfig().hasHttpProtocolOptions()).as(pool).isTrue();
    }
    assertThat(cluster(resources, "echo").getTypedExtensionProtocolOptionsMap())
        .as("no model reachable: no filter, no protocol options")
        .isEmpty();
    assertThat(cluster(resources, "chat").getTypedExtensionProtocolOptionsMap())
        .as("one model only (no fallback): the downstream rewrite is all it needs")
        .isEmpty();
    HttpProtocolOptions grpc = options(cluster(resources, "grpc"));
    assertThat(grpc.getExplicitHttpConfig().hasHttp2ProtocolOptions())
        .as("a gRPC pool keeps HTTP/2")
        .isTrue();
    assertThat(grpc.getHttpFiltersCount()).as("its fallback chat serves a model").isEqualTo(2);
  }

  @Test
  void upstreamFilter_asksForTheHostsModel_buffersTheBody_andFailsOpen() throws Exception {
    HttpFilter filter = options(cluster(build(POOLS), "code")).getHttpFilters(0);
    ExtensionWithMatcher wrapped = filter.getTypedConfig().unpack(ExtensionWithMatcher.class);
    ExternalProcessor extProc =
        wrapped.getExtensionConfig().getTypedConfig().unpack(ExternalProcessor.class);

    assertThat(extProc.getGrpcService().getEnvoyGrpc().getClusterName())
        .isEqualTo(WireContract.EXT_PROC_CLUSTER);
    assertThat(extProc.getGrpcService().getInitialMetadataList())
        .anySatisfy(
            h -> {
              assertThat(h.getKey()).isEqualTo(WireContract.UPSTREAM_STREAM_METADATA);
              assertThat(h.getValue()).isEqualTo("upstream");
            });
    assertThat(extProc.getRequestAttributesList())
        .containsExactly("xds.upstream_host_metadata.filter_metadata['semlb']['model']");
    assertThat(extProc.getFailureModeAllow()).isTrue();
    assertThat(extProc.getAllowModeOverride()).isTrue();
    assertThat(extProc.getProcessingMode().getRequestBodyMode())
        .isEqualTo(ProcessingMode.BodySendMode.BUFFERED);
    assertThat(extProc.getProcessingMode().getResponseHeaderMode())
        .isEqualTo(ProcessingMode.HeaderSendMode.SKIP);
    assertThat(extProc.getMutationRules().getDisallowSystem().getValue()).isTrue();
  }

  @Test
  void upstreamFilter_isSkipped_whenTheBodysModelHeaderIsTheHostsModel() throws Exception {
    HttpFilter filter = options(cluster(build(POOLS), "code")).getHttpFilters(0);
    Matcher matcher = filter.getTypedConfig().unpack(ExtensionWithMatcher.class).getXdsMatcher();

    Matcher.MatcherList.FieldMatcher only = matcher.getMatcherList().getMatchers(0);
    assertThat(matcher.getMatcherList().getMatchersCount()).isEqualTo(1);
    assertThat(only.getOnMatch().getAction().getTypedConfig().is(SkipFilter.class)).isTrue();
    var predicate = only.getPredicate().getSinglePredicate();
    assertThat(predicate.getInput().getTypedConfig().is(HttpAttributesCelMatchInput.class))
        .isTrue();
    Expr equal =
        predicate
            .getCustomMatch()
            .getTypedConfig()
            .unpack(CelMatcher.class)
            .getExprMatch()
            .getCelExprParsed()
            .getExpr();
    assertThat(cel(equal))
        .isEqualTo(
            "_==_(_[_](request.headers, 'x-semlb-model'), "
                + "_[_](_[_](xds.upstream_host_metadata.filter_metadata, 'semlb'), 'model'))");
  }

  /** A parsed CEL expression written out: calls as f(args), selects dotted, strings quoted. */
  private static String cel(Expr e) {
    return switch (e.getExprKindCase()) {
      case IDENT_EXPR -> e.getIdentExpr().getName();
      case SELECT_EXPR -> cel(e.getSelectExpr().getOperand()) + "." + e.getSelectExpr().getField();
      case CONST_EXPR -> "'" + e.getConstExpr().getStringValue() + "'";
      case CALL_EXPR ->
          e.getCallExpr().getFunction()
              + "("
              + String.join(
                  ", ",
                  e.getCallExpr().getArgsList().stream().map(ModelPoolResourcesTest::cel).toList())
              + ")";
      default -> throw new AssertionError(e);
    };
  }

  @Test
  void withoutModels_noClusterHasTheFilter_andNoEndpointHasMetadata() throws Exception {
    String plain = POOLS.replace(", model: demo-code-7b", "").replace(", model: demo-chat-8b", "");

    PoolResources resources = build(plain);

    for (Cluster cluster : resources.clusters()) {
      if (cluster.getName().equals("semlb-pool-grpc")) {
        assertThat(options(cluster))
            .as("as before: HTTP/2 for gRPC health checks, nothing else")
            .isEqualTo(
                HttpProtocolOptions.newBuilder()
                    .setExplicitHttpConfig(
                        HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                            .setHttp2ProtocolOptions(
                                io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions
                                    .getDefaultInstance()))
                    .build());
      } else {
        assertThat(cluster.getTypedExtensionProtocolOptionsMap()).as(cluster.getName()).isEmpty();
      }
    }
    assertThat(resources.loadAssignments())
        .allSatisfy(
            cla ->
                assertThat(cla.getEndpointsList())
                    .allSatisfy(
                        l ->
                            assertThat(l.getLbEndpointsList())
                                .allSatisfy(e -> assertThat(e.hasMetadata()).isFalse())));
  }
}
