package dev.semlb.xds.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.semlb.admin.AdminHttp;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.pools.PoolEndpoint;
import dev.semlb.xds.pools.RateLimit;
import dev.semlb.xds.snapshot.ServedPools;
import dev.semlb.xds.snapshot.SnapshotPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pools part of the xds-server's admin API:
 *
 * <ul>
 *   <li>{@code GET /api/pools}: pools, policies and endpoints with their source, as the {@code
 *       ListPoolsResponse} of the gRPC admin service in JSON ({@link PoolMessages});
 *   <li>{@code POST /api/pools/{pool}/endpoints} {@code {"address":"host:port","weight":1,
 *       "version":"green","ttlSeconds":30}}: register, or renew (heartbeat), a leased endpoint; 201
 *       when new, 200 when renewed;
 *   <li>{@code PUT /api/pools/{pool}/endpoints/{host:port}} {@code {"ttlSeconds":30}}: renew a
 *       lease; 404 if it is gone (register again);
 *   <li>{@code DELETE /api/pools/{pool}/endpoints/{host:port}}: deregister; 204, or 404;
 *   <li>{@code PUT /api/pools/{pool}/weights} {@code {"blue":90,"green":10}}: traffic share per
 *       version label, live (promote: {@code {"green":100}}; roll back: {@code {"blue":100}});
 *   <li>{@code GET|PUT|DELETE /api/pools/{pool}/rate-limit}, PUT with {@code
 *       {"requestsPerSecond":50,"burst":100}} (or {@code requestsPerMinute}): the pool's rate
 *       limit, live ({@link RateLimitInput}); GET gives 404 for an unlimited pool, PUT and DELETE
 *       answer with the pool.
 * </ul>
 *
 * Bad input gets 400 with {@code {"error": "field: value (expected: ...)"}}; every change is
 * published to Envoy before the answer is sent. Thread-safe (state lives in the publisher).
 */
final class PoolsApi implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(PoolsApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;
  static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

  private final SnapshotPublisher publisher;
  private final IntSupplier streams;
  private final Clock clock;

  PoolsApi(SnapshotPublisher publisher, IntSupplier streams, Clock clock) {
    this.publisher = publisher;
    this.streams = streams;
    this.clock = clock;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String[] parts = exchange.getRequestURI().getRawPath().replaceAll("/+$", "").split("/");
    // parts: "", "api", "pools", pool, "endpoints"|"weights", address
    String method = exchange.getRequestMethod();
    try {
      if (parts.length == 3 && method.equals("GET")) {
        AdminHttp.sendJson(
            exchange,
            200,
            PoolMessages.json(
                PoolMessages.list(
                    publisher.served(), leases(), publisher.version(), streams.getAsInt())));
      } else if (parts.length == 4 && method.equals("GET")) {
        Pool pool = pool(decode(parts[3]));
        AdminHttp.sendJson(
            exchange,
            200,
            PoolMessages.json(PoolMessages.pool(pool, publisher.served(), leases())));
      } else if (parts.length == 5 && parts[4].equals("endpoints") && method.equals("POST")) {
        register(exchange, pool(decode(parts[3])));
      } else if (parts.length == 6 && parts[4].equals("endpoints") && method.equals("PUT")) {
        renew(exchange, pool(decode(parts[3])), decode(parts[5]));
      } else if (parts.length == 6 && parts[4].equals("endpoints") && method.equals("DELETE")) {
        deregister(exchange, pool(decode(parts[3])), decode(parts[5]));
      } else if (parts.length == 5 && parts[4].equals("weights") && method.equals("PUT")) {
        weights(exchange, pool(decode(parts[3])));
      } else if (parts.length == 5 && parts[4].equals("rate-limit")) {
        rateLimit(exchange, method, pool(decode(parts[3])));
      } else {
        AdminHttp.sendJson(
            exchange,
            404,
            AdminHttp.error(
                method
                    + " "
                    + exchange.getRequestURI().getPath()
                    + " (expected: GET /api/pools[/{pool}], POST /api/pools/{pool}/endpoints, PUT|DELETE "
                    + "/api/pools/{pool}/endpoints/{host:port}, PUT /api/pools/{pool}/weights, "
                    + "GET|PUT|DELETE /api/pools/{pool}/rate-limit)"));
      }
    } catch (NotFound e) {
      AdminHttp.sendJson(exchange, 404, AdminHttp.error(e.getMessage()));
    } catch (IllegalArgumentException e) {
      AdminHttp.sendJson(exchange, 400, AdminHttp.error(e.getMessage()));
    }
  }

  private void register(HttpExchange exchange, Pool pool) throws IOException {
    JsonNode body = body(exchange);
    if (!body.path("address").isTextual()) {
      throw new IllegalArgumentException("address: missing (expected: \"host:port\")");
    }
    PoolEndpoint endpoint =
        PoolEndpoint.parse(
            body.path("address").asText(),
            integer(body, "weight", 1),
            body.path("version").asText(""));
    Duration ttl = Duration.ofSeconds(integer(body, "ttlSeconds", (int) DEFAULT_TTL.toSeconds()));
    boolean isNew = publisher.registry().lease(pool.name(), endpoint.address()).isEmpty();
    boolean changed = publisher.registry().register(pool.name(), endpoint, ttl);
    if (changed) {
      publisher.refresh();
      log.info("pool {}: registered {} for {}s", pool.name(), endpoint, ttl.toSeconds());
    }
    AdminHttp.sendJson(
        exchange,
        isNew ? 201 : 200,
        JSON.createObjectNode()
            .put("pool", pool.name())
            .put("address", endpoint.address())
            .put("ttlSeconds", ttl.toSeconds())
            .put("snapshotVersion", publisher.version()));
  }

  private void renew(HttpExchange exchange, Pool pool, String address) throws IOException {
    JsonNode body = body(exchange);
    Duration ttl = Duration.ofSeconds(integer(body, "ttlSeconds", (int) DEFAULT_TTL.toSeconds()));
    PoolEndpoint current =
        publisher
            .registry()
            .lease(pool.name(), address)
            .map(e -> e.endpoint())
            .orElseThrow(
                () ->
                    new NotFound(
                        "pool "
                            + pool.name()
                            + ": no lease for "
                            + address
                            + " (register it again)"));
    publisher.registry().register(pool.name(), current, ttl);
    AdminHttp.sendJson(
        exchange,
        200,
        JSON.createObjectNode()
            .put("pool", pool.name())
            .put("address", address)
            .put("ttlSeconds", ttl.toSeconds()));
  }

  private void deregister(HttpExchange exchange, Pool pool, String address) throws IOException {
    if (!publisher.registry().deregister(pool.name(), address)) {
      throw new NotFound("pool " + pool.name() + ": no registered endpoint " + address);
    }
    publisher.refresh();
    log.info("pool {}: deregistered {}", pool.name(), address);
    exchange.sendResponseHeaders(204, -1);
  }

  private void weights(HttpExchange exchange, Pool pool) throws IOException {
    JsonNode body = body(exchange);
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().canConvertToExactIntegral()) {
        throw new IllegalArgumentException(
            field.getKey() + ": " + field.getValue() + " (expected: 0..100)");
      }
      weights.put(field.getKey(), field.getValue().asInt());
    }
    publisher.setVersionWeights(pool.name(), weights);
    log.info("pool {}: version weights now {}", pool.name(), weights);
    ServedPools served = publisher.served();
    AdminHttp.sendJson(
        exchange,
        200,
        PoolMessages.json(
            PoolMessages.pool(served.config().pool(pool.name()).orElseThrow(), served, leases())));
  }

  private void rateLimit(HttpExchange exchange, String method, Pool pool) throws IOException {
    switch (method) {
      case "GET" -> {
        RateLimit limit =
            pool.policy()
                .rateLimit()
                .orElseThrow(() -> new NotFound("pool " + pool.name() + ": no rate limit"));
        AdminHttp.sendJson(exchange, 200, PoolMessages.json(RateLimitInput.toProto(limit)));
        return;
      }
      case "PUT" -> {
        RateLimit limit = RateLimitInput.fromJson(body(exchange));
        publisher.setRateLimit(pool.name(), Optional.of(limit));
        log.info("pool {}: rate limit now {}", pool.name(), limit);
      }
      case "DELETE" -> {
        publisher.setRateLimit(pool.name(), Optional.empty());
        log.info("pool {}: rate limit removed", pool.name());
      }
      default -> {
        exchange.getResponseHeaders().set("Allow", "GET, PUT, DELETE");
        AdminHttp.sendJson(
            exchange, 405, AdminHttp.error(method + " rate-limit (expected: GET, PUT or DELETE)"));
        return;
      }
    }
    ServedPools served = publisher.served();
    AdminHttp.sendJson(
        exchange,
        200,
        PoolMessages.json(
            PoolMessages.pool(served.config().pool(pool.name()).orElseThrow(), served, leases())));
  }

  private Leases leases() {
    return new Leases(publisher.registry(), clock);
  }

  private Pool pool(String name) {
    ServedPools served = publisher.served();
    Optional<Pool> pool = served == null ? Optional.empty() : served.config().pool(name);
    return pool.orElseThrow(
        () ->
            new NotFound(
                "pool: '"
                    + name
                    + "' (expected: one of "
                    + (served == null ? "[]" : served.config().poolNames())
                    + ")"));
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new IllegalArgumentException(
            "body: over " + MAX_BODY + " bytes (expected: a small JSON object)");
      }
      if (bytes.length == 0) {
        return JSON.createObjectNode();
      }
      JsonNode node;
      try {
        node = JSON.readTree(bytes);
      } catch (IOException e) {
        throw new IllegalArgumentException("body: not JSON (expected: a JSON object)");
      }
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException(
            "body: "
                + (node == null ? "empty" : node.getNodeType())
                + " (expected: a JSON object)");
      }
      return node;
    }
  }

  private static int integer(JsonNode body, String field, int fallback) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.canConvertToExactIntegral() || !node.canConvertToInt()) {
      throw new IllegalArgumentException(field + ": " + node + " (expected: an integer)");
    }
    return node.asInt();
  }

  private static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }

  /** A pool or endpoint that does not exist: 404. */
  private static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }
}
