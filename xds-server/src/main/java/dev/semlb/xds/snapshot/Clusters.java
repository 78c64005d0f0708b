package dev.semlb.xds.snapshot;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.semlb.xds.pools.CircuitBreakers;
import dev.semlb.xds.pools.HealthCheck;
import dev.semlb.xds.pools.OutlierDetection;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.pools.PoolPolicy;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Duration;

/** Builds the Envoy cluster of a pool from its policy. Stateless. */
final class Clusters {

  private static final String HTTP_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private Clusters() {}

  /** The cluster of {@code pool}, without the upstream model filter. */
  static Cluster of(Pool pool) {
    return of(pool, false);
  }

  /**
   * The cluster of {@code pool}.
   *
   * @param upstreamModel whether attempts pass the upstream model filter ({@link
   *     UpstreamModelFilter}): for a cluster that can reach a host serving a model
   */
  static Cluster of(Pool pool, boolean upstreamModel) {
    PoolPolicy policy = pool.policy();
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(pool.clusterName())
            .setType(Cluster.DiscoveryType.EDS)
            .setEdsClusterConfig(
                Cluster.EdsClusterConfig.newBuilder()
                    .setEdsConfig(
                        ConfigSource.newBuilder()
                            .setAds(AggregatedConfigSource.getDefaultInstance())
                            .setResourceApiVersion(ApiVersion.V3)))
            .setConnectTimeout(proto(policy.connectTimeout()))
            .setLbPolicy(
                switch (policy.lbPolicy()) {
                  case ROUND_ROBIN -> Cluster.LbPolicy.ROUND_ROBIN;
                  case LEAST_REQUEST -> Cluster.LbPolicy.LEAST_REQUEST;
                  case RANDOM -> Cluster.LbPolicy.RANDOM;
                  case RING_HASH -> Cluster.LbPolicy.RING_HASH;
                  case MAGLEV -> Cluster.LbPolicy.MAGLEV;
                })
            .setOutlierDetection(outlier(policy.outlierDetection()))
            .setCircuitBreakers(breakers(policy.circuitBreakers()));
    policy.healthCheck().ifPresent(check -> cluster.addHealthChecks(healthCheck(check)));
    // gRPC health checks (and gRPC upstreams) need HTTP/2 to the endpoints.
    boolean http2 = policy.healthCheck().map(HealthCheck::grpc).orElse(false);
    if (http2 || upstreamModel) {
      HttpProtocolOptions.ExplicitHttpConfig.Builder explicit =
          HttpProtocolOptions.ExplicitHttpConfig.newBuilder();
      if (http2) {
        explicit.setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance());
      } else {
        explicit.setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance());
      }
      HttpProtocolOptions.Builder options =
          HttpProtocolOptions.newBuilder().setExplicitHttpConfig(explicit);
      if (upstreamModel) {
        options.addAllHttpFilters(UpstreamModelFilter.chain());
      }
      cluster.putTypedExtensionProtocolOptions(HTTP_OPTIONS, Any.pack(options.build()));
    }
    return cluster.build();
  }

  private static io.envoyproxy.envoy.config.core.v3.HealthCheck healthCheck(HealthCheck check) {
    var builder =
        io.envoyproxy.envoy.config.core.v3.HealthCheck.newBuilder()
            .setInterval(proto(check.interval()))
            // Check endpoints that get no traffic (e.g. fallback priorities) just as often.
            .setNoTrafficInterval(proto(check.interval()))
            .setTimeout(proto(check.timeout()))
            .setUnhealthyThreshold(UInt32Value.of(check.unhealthyThreshold()))
            .setHealthyThreshold(UInt32Value.of(check.healthyThreshold()));
    if (check.grpc()) {
      builder.setGrpcHealthCheck(
          io.envoyproxy.envoy.config.core.v3.HealthCheck.GrpcHealthCheck.newBuilder()
              .setServiceName(check.grpcService()));
    } else {
      builder.setHttpHealthCheck(
          io.envoyproxy.envoy.config.core.v3.HealthCheck.HttpHealthCheck.newBuilder()
              .setPath(check.path()));
    }
    return builder.build();
  }

  private static io.envoyproxy.envoy.config.cluster.v3.OutlierDetection outlier(
      OutlierDetection o) {
    return io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
        .setSplitExternalLocalOriginErrors(true)
        .setConsecutiveLocalOriginFailure(UInt32Value.of(o.consecutiveLocalFailures()))
        .setConsecutive5Xx(UInt32Value.of(o.consecutive5xx()))
        .setInterval(proto(o.interval()))
        .setBaseEjectionTime(proto(o.baseEjectionTime()))
        .setMaxEjectionPercent(UInt32Value.of(o.maxEjectionPercent()))
        .build();
  }

  private static io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers breakers(CircuitBreakers c) {
    return io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.newBuilder()
        .addThresholds(
            io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds.newBuilder()
                .setPriority(RoutingPriority.DEFAULT)
                .setMaxConnections(UInt32Value.of(c.maxConnections()))
                .setMaxPendingRequests(UInt32Value.of(c.maxPendingRequests()))
                .setMaxRequests(UInt32Value.of(c.maxRequests()))
                .setMaxRetries(UInt32Value.of(c.maxRetries())))
        .build();
  }

  static com.google.protobuf.Duration proto(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }
}
