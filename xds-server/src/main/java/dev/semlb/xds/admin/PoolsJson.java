package dev.semlb.xds.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.pools.PoolPolicy;
import dev.semlb.xds.registry.EndpointSource;
import dev.semlb.xds.registry.SourcedEndpoint;
import dev.semlb.xds.snapshot.ServedPools;

/** Renders the served pools as the JSON of {@code GET /api/pools}. Stateless. */
final class PoolsJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PoolsJson() {}

  static ObjectNode render(ServedPools served, Leases leases, long version, int streams) {
    ObjectNode out = JSON.createObjectNode();
    out.put("snapshotVersion", version);
    out.put("connectedStreams", streams);
    ArrayNode pools = out.putArray("pools");
    if (served == null) {
      return out;
    }
    out.put("defaultPool", served.config().defaultPool());
    for (Pool pool : served.config().pools()) {
      pools.add(pool(pool, served, leases));
    }
    return out;
  }

  static ObjectNode pool(Pool pool, ServedPools served, Leases leases) {
    PoolPolicy p = pool.policy();
    ObjectNode out = JSON.createObjectNode()
        .put("name", pool.name())
        .put("cluster", pool.clusterName())
        .put("lbPolicy", p.lbPolicy().configName());
    if (p.lbPolicy().hashed()) {
      out.put("hashHeader", p.hashHeader());
    }
    out.put("connectTimeoutMs", p.connectTimeout().toMillis());
    out.put("requestTimeoutMs", p.requestTimeout().toMillis());
    out.put("retries", p.retries().attempts());
    p.fallback().forEach(out.putArray("fallback")::add);
    ObjectNode weights = out.putObject("versionWeights");
    p.versionWeights().forEach(weights::put);
    p.healthCheck().ifPresentOrElse(h -> out.putObject("healthCheck")
        .put("type", h.grpc() ? "grpc" : "http")
        .put(h.grpc() ? "grpcService" : "path", h.grpc() ? h.grpcService() : h.path())
        .put("intervalMs", h.interval().toMillis()), () -> out.putNull("healthCheck"));
    ArrayNode endpoints = out.putArray("endpoints");
    for (SourcedEndpoint e : served.endpointsOf(pool.name())) {
      ObjectNode node = endpoints.addObject()
          .put("address", e.endpoint().host())
          .put("port", e.endpoint().port())
          .put("weight", e.endpoint().weight())
          .put("version", e.endpoint().version())
          .put("source", e.source().label());
      if (e.source() == EndpointSource.REGISTRATION) {
        node.put("leaseRemainingMs", leases.remainingMs(pool.name(), e.endpoint().address()));
      }
    }
    return out;
  }
}
