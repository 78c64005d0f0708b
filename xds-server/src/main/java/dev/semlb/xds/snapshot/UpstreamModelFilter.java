package dev.semlb.xds.snapshot;

import com.github.xds.type.matcher.v3.CelMatcher;
import com.github.xds.type.matcher.v3.HttpAttributesCelMatchInput;
import com.github.xds.type.matcher.v3.Matcher;
import com.github.xds.type.v3.CelExpression;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.cel.expr.Constant;
import dev.cel.expr.Expr;
import dev.cel.expr.ParsedExpr;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.common.mutation_rules.v3.HeaderMutationRules;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.common.matching.v3.ExtensionWithMatcher;
import io.envoyproxy.envoy.extensions.filters.common.matcher.action.v3.SkipFilter;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;

/**
 * The per-attempt model rewrite of an LLM gateway, on the Envoy side: the endpoint metadata that
 * names each host's model, and the upstream HTTP filter chain of a cluster whose priorities serve
 * more than one model. Stateless.
 *
 * <p>The downstream ext_proc filter rewrites a body's {@code model} once, before Envoy picks a
 * host. When the pool's own endpoints are unhealthy, Envoy sends the request to a fallback pool's
 * endpoints (the cluster's next priorities), and a retry may land there too. An upstream filter
 * runs per attempt, after host selection, so this ext_proc filter sends each attempt's body with
 * the chosen host's model ({@link WireContract#HOST_MODEL_ATTRIBUTE}, read from the endpoint
 * metadata written here) to ext-proc-service, which sets the body's {@code model} to it when they
 * differ. Fail-open: if ext-proc-service is slow or down, the attempt goes out unchanged.
 *
 * <p>The ext_proc filter is wrapped in a matcher ({@code ExtensionWithMatcher}, a CEL match) that
 * skips it, without opening a stream, when the downstream filter's {@value
 * WireContract#MODEL_HEADER} already names the chosen host's model: an attempt on the pool's own
 * host, almost every request.
 */
final class UpstreamModelFilter {

  /** The filter's name in the cluster's chain (not the downstream filter's, so no route config). */
  static final String NAME = "semlb.upstream_model";

  private static final HttpFilter EXT_PROC =
      HttpFilter.newBuilder()
          .setName(NAME)
          .setTypedConfig(
              Any.pack(
                  ExtensionWithMatcher.newBuilder()
                      .setXdsMatcher(skipWhenTheBodyNamesTheHostsModel())
                      .setExtensionConfig(
                          TypedExtensionConfig.newBuilder()
                              .setName(NAME)
                              .setTypedConfig(Any.pack(extProc())))
                      .build()))
          .build();

  private static ExternalProcessor extProc() {
    return ExternalProcessor.newBuilder()
        .setGrpcService(
            GrpcService.newBuilder()
                .setEnvoyGrpc(
                    GrpcService.EnvoyGrpc.newBuilder()
                        .setClusterName(WireContract.EXT_PROC_CLUSTER)
                        .setSkipEnvoyHeaders(true))
                .addInitialMetadata(
                    HeaderValue.newBuilder()
                        .setKey(WireContract.UPSTREAM_STREAM_METADATA)
                        .setValue("upstream")))
        // Fail open: a slow or absent ext-proc-service never fails an attempt.
        .setFailureModeAllow(true)
        .setMessageTimeout(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000))
        // ext-proc-service answers the headers with body mode NONE when there is
        // nothing to rewrite (a host without a model, an upgrade).
        .setAllowModeOverride(true)
        .addRequestAttributes(WireContract.HOST_MODEL_ATTRIBUTE)
        .setProcessingMode(
            ProcessingMode.newBuilder()
                .setRequestHeaderMode(ProcessingMode.HeaderSendMode.SEND)
                .setRequestBodyMode(ProcessingMode.BodySendMode.BUFFERED)
                .setRequestTrailerMode(ProcessingMode.HeaderSendMode.SKIP)
                .setResponseHeaderMode(ProcessingMode.HeaderSendMode.SKIP)
                .setResponseBodyMode(ProcessingMode.BodySendMode.NONE)
                .setResponseTrailerMode(ProcessingMode.HeaderSendMode.SKIP))
        .setMutationRules(
            HeaderMutationRules.newBuilder()
                .setDisallowSystem(com.google.protobuf.BoolValue.of(true)))
        .build();
  }

  /**
   * Skips the filter, without a stream, when {@value WireContract#MODEL_HEADER} (the model the body
   * names, from the downstream filter) is the chosen host's model: the common case, an attempt on
   * the pool's own host. A CEL match over the request headers and the host's metadata; when either
   * is missing the expression fails, nothing matches, and the filter runs.
   */
  private static Matcher skipWhenTheBodyNamesTheHostsModel() {
    Expr header = index(select(ident(1, "request"), "headers", 2), WireContract.MODEL_HEADER, 3, 4);
    Expr hostModel =
        index(
            index(
                select(select(ident(5, "xds"), "upstream_host_metadata", 6), "filter_metadata", 7),
                WireContract.HOST_METADATA_NAMESPACE,
                8,
                9),
            WireContract.HOST_MODEL_KEY,
            10,
            11);
    Expr equal =
        Expr.newBuilder()
            .setId(12)
            .setCallExpr(
                Expr.Call.newBuilder().setFunction("_==_").addArgs(header).addArgs(hostModel))
            .build();
    com.github.xds.core.v3.TypedExtensionConfig input =
        com.github.xds.core.v3.TypedExtensionConfig.newBuilder()
            .setName("semlb.attributes")
            .setTypedConfig(Any.pack(HttpAttributesCelMatchInput.getDefaultInstance()))
            .build();
    CelMatcher cel =
        CelMatcher.newBuilder()
            .setExprMatch(
                CelExpression.newBuilder().setCelExprParsed(ParsedExpr.newBuilder().setExpr(equal)))
            .build();
    com.github.xds.core.v3.TypedExtensionConfig match =
        com.github.xds.core.v3.TypedExtensionConfig.newBuilder()
            .setName("semlb.body_names_host_model")
            .setTypedConfig(Any.pack(cel))
            .build();
    com.github.xds.core.v3.TypedExtensionConfig skip =
        com.github.xds.core.v3.TypedExtensionConfig.newBuilder()
            .setName("skip")
            .setTypedConfig(Any.pack(SkipFilter.getDefaultInstance()))
            .build();
    Matcher.MatcherList.Predicate predicate =
        Matcher.MatcherList.Predicate.newBuilder()
            .setSinglePredicate(
                Matcher.MatcherList.Predicate.SinglePredicate.newBuilder()
                    .setInput(input)
                    .setCustomMatch(match))
            .build();
    return Matcher.newBuilder()
        .setMatcherList(
            Matcher.MatcherList.newBuilder()
                .addMatchers(
                    Matcher.MatcherList.FieldMatcher.newBuilder()
                        .setPredicate(predicate)
                        .setOnMatch(Matcher.OnMatch.newBuilder().setAction(skip))))
        .build();
  }

  private static Expr ident(long id, String name) {
    return Expr.newBuilder().setId(id).setIdentExpr(Expr.Ident.newBuilder().setName(name)).build();
  }

  private static Expr select(Expr operand, String field, long id) {
    return Expr.newBuilder()
        .setId(id)
        .setSelectExpr(Expr.Select.newBuilder().setOperand(operand).setField(field))
        .build();
  }

  private static Expr index(Expr operand, String key, long keyId, long id) {
    return Expr.newBuilder()
        .setId(id)
        .setCallExpr(
            Expr.Call.newBuilder()
                .setFunction("_[_]")
                .addArgs(operand)
                .addArgs(
                    Expr.newBuilder()
                        .setId(keyId)
                        .setConstExpr(Constant.newBuilder().setStringValue(key))))
        .build();
  }

  private static final HttpFilter CODEC =
      HttpFilter.newBuilder()
          .setName("envoy.filters.http.upstream_codec")
          .setTypedConfig(Any.pack(UpstreamCodec.getDefaultInstance()))
          .build();

  private UpstreamModelFilter() {}

  /** The upstream filter chain: the model rewrite, then the codec (which Envoy needs last). */
  static List<HttpFilter> chain() {
    return List.of(EXT_PROC, CODEC);
  }

  /** The metadata of an endpoint whose pool serves {@code model}. */
  static Metadata hostMetadata(String model) {
    return Metadata.newBuilder()
        .putFilterMetadata(
            WireContract.HOST_METADATA_NAMESPACE,
            Struct.newBuilder()
                .putFields(
                    WireContract.HOST_MODEL_KEY, Value.newBuilder().setStringValue(model).build())
                .build())
        .build();
  }
}
