package dev.semlb.xds.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.semlb.xds.api.v1.Endpoint;
import dev.semlb.xds.api.v1.HealthCheck;
import dev.semlb.xds.api.v1.ListPoolsResponse;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.pools.PoolPolicy;
import dev.semlb.xds.registry.EndpointSource;
import dev.semlb.xds.registry.SourcedEndpoint;
import dev.semlb.xds.snapshot.ServedPools;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The served pools as {@code semlb.admin.v1} messages, the one rendering both admin APIs use: the
 * gRPC {@code PoolAdmin} service answers with them, and the JSON API prints them with protobuf's
 * {@link JsonFormat} (lowerCamelCase names; fields without presence always printed, so empty lists
 * and zero counts stay in the JSON; unset {@code optional} and message fields left out). Stateless.
 */
final class PoolMessages {

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().includingDefaultValueFields();
  private static final ObjectMapper JSON = new ObjectMapper();

  private PoolMessages() {}

  /** Every served pool, with the snapshot version and connected streams. */
  static ListPoolsResponse list(ServedPools served, Leases leases, long version, int streams) {
    ListPoolsResponse.Builder out =
        ListPoolsResponse.newBuilder().setSnapshotVersion(version).setConnectedStreams(streams);
    if (served != null) {
      out.setDefaultPool(served.config().defaultPool());
      served.config().pools().forEach(pool -> out.addPools(pool(pool, served, leases)));
    }
    return out.build();
  }

  /** One pool: its policy summary and its merged endpoints with where each came from. */
  static dev.semlb.xds.api.v1.Pool pool(Pool pool, ServedPools served, Leases leases) {
    PoolPolicy p = pool.policy();
    dev.semlb.xds.api.v1.Pool.Builder out =
        dev.semlb.xds.api.v1.Pool.newBuilder()
            .setName(pool.name())
            .setCluster(pool.clusterName())
            .setLbPolicy(p.lbPolicy().configName())
            .setConnectTimeoutMs(millis(p.connectTimeout()))
            .setRequestTimeoutMs(millis(p.requestTimeout()))
            .setRetries(p.retries().attempts())
            .addAllFallback(p.fallback())
            .putAllVersionWeights(p.versionWeights());
    if (p.lbPolicy().hashed()) {
      out.setHashHeader(p.hashHeader());
    }
    p.rateLimit().ifPresent(limit -> out.setRateLimit(RateLimitInput.toProto(limit)));
    p.healthCheck()
        .ifPresent(
            h -> {
              HealthCheck.Builder check =
                  HealthCheck.newBuilder()
                      .setType(h.grpc() ? "grpc" : "http")
                      .setIntervalMs(millis(h.interval()));
              if (h.grpc()) {
                check.setGrpcService(h.grpcService());
              } else {
                check.setPath(h.path());
              }
              out.setHealthCheck(check);
            });
    for (SourcedEndpoint e : served.endpointsOf(pool.name())) {
      Endpoint.Builder endpoint =
          Endpoint.newBuilder()
              .setHost(e.endpoint().host())
              .setPort(e.endpoint().port())
              .setWeight(e.endpoint().weight())
              .setVersion(e.endpoint().version())
              .setSource(e.source().label());
      if (e.source() == EndpointSource.REGISTRATION) {
        endpoint.setLeaseRemainingMs(
            millis(Duration.ofMillis(leases.remainingMs(pool.name(), e.endpoint().address()))));
      }
      out.addEndpoints(endpoint);
    }
    return out.build();
  }

  /** {@code message} in the proto3 JSON mapping, as a tree for the JSON admin API. */
  static JsonNode json(MessageOrBuilder message) {
    try {
      return JSON.readTree(PRINTER.print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("admin message not printable as JSON", e);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }
}
