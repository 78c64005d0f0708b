package dev.semlb.xds.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.common.mutation_rules.v3.HeaderMutationRules;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Metadata;
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
 */
final class UpstreamModelFilter {

  /** The filter's name in the cluster's chain (not the downstream filter's, so no route config). */
  static final String NAME = "semlb.upstream_model";

  private static final HttpFilter EXT_PROC =
      HttpFilter.newBuilder()
          .setName(NAME)
          .setTypedConfig(
              Any.pack(
                  ExternalProcessor.newBuilder()
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
                      .setMessageTimeout(
                          com.google.protobuf.Duration.newBuilder().setNanos(200_000_000))
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
                      .build()))
          .build();

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
