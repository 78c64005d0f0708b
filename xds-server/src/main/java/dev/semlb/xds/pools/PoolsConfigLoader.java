package dev.semlb.xds.pools;

import dev.semlb.config.ConfigException;
import dev.semlb.config.ConfigNode;
import dev.semlb.config.PoolModels;
import dev.semlb.config.PoolName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code pools.yaml} into a validated {@link PoolsConfig}; every error names the file, the
 * path of the value, the value and what was expected. Format (every key but {@code pools[].name} is
 * optional; see {@code config/pools.yaml} for the defaults):
 *
 * <pre>
 * defaultPool: general             # default: "general" if there is one, else the first pool
 * models: { aliases: [auto], unknownModel: error }   # see PoolModels
 * pools:
 *   - name: fast-path
 *     lbPolicy: ring_hash          # round_robin | least_request | random | ring_hash | maglev
 *     hashHeader: x-session-id     # for ring_hash and maglev
 *     connectTimeoutMs: 500
 *     requestTimeoutMs: 5000
 *     healthCheck: { path: /healthz, intervalMs: 1000 }   # or { grpc: true, grpcService: name }
 *     outlierDetection: { consecutiveLocalFailures: 2, baseEjectionTimeMs: 5000 }
 *     circuitBreakers: { maxRequests: 256 }
 *     retries: { attempts: 2, perTryTimeoutMs: 0 }
 *     fallback: [general]
 *     versionWeights: { blue: 90, green: 10 }
 *     rateLimit: { requestsPerSecond: 50, burst: 100 }   # or requestsPerMinute; see RateLimit
 *     kubernetes: { service: worker-fast, port: http, version: blue }   # or a list of them
 *     model: demo-fast-1b          # the model it serves (LLM gateway; see PoolModels)
 *     endpoints:
 *       - 127.0.0.1:9003                               # weight 1, no version
 *       - { address: 10.0.0.7:9003, weight: 3, version: green }
 * </pre>
 */
public final class PoolsConfigLoader {

  private PoolsConfigLoader() {}

  /** Loads and validates a pools file. */
  public static PoolsConfig load(Path file) throws ConfigException {
    return read(ConfigNode.load(file));
  }

  /** Parses and validates pools YAML; {@code name} appears in error messages. */
  public static PoolsConfig parse(String name, String yaml) throws ConfigException {
    return read(ConfigNode.parse(name, yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static PoolsConfig read(ConfigNode root) throws ConfigException {
    root.onlyKeys("defaultPool", "models", "pools");
    List<Pool> pools = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (ConfigNode node : root.list("pools")) {
      pools.add(pool(node, names));
    }
    if (pools.isEmpty()) {
      throw root.get("pools").invalid("at least one pool");
    }
    String defaultPool = names.contains("general") ? "general" : pools.get(0).name();
    if (root.has("defaultPool")) {
      defaultPool = root.text("defaultPool");
      if (!names.contains(defaultPool)) {
        throw root.get("defaultPool").invalid("one of the pools " + names);
      }
    }
    // The models are ext-proc-service's (it selects and rewrites them); read here too, so that
    // xds-server and check-pools refuse a file ext-proc-service would refuse, and so that each
    // endpoint carries its pool's model (the upstream ext_proc filter rewrites per attempt).
    PoolModels models = PoolModels.read(root);
    try {
      return new PoolsConfig(pools, defaultPool, models.modelByPool());
    } catch (IllegalArgumentException e) {
      throw root.get("pools").invalid(e.getMessage());
    }
  }

  private static Pool pool(ConfigNode node, Set<String> names) throws ConfigException {
    node.onlyKeys(
        "name",
        "lbPolicy",
        "hashHeader",
        "connectTimeoutMs",
        "requestTimeoutMs",
        "healthCheck",
        "outlierDetection",
        "circuitBreakers",
        "retries",
        "fallback",
        "versionWeights",
        "rateLimit",
        "endpoints",
        "kubernetes",
        "model");
    ConfigNode nameNode = node.get("name");
    String name = nameNode.asText();
    if (!PoolName.isValid(name)) {
      throw nameNode.invalid(PoolName.EXPECTED);
    }
    if (!names.add(name)) {
      throw nameNode.invalid("a pool name not used before");
    }
    PoolPolicy defaults = PoolPolicy.DEFAULT;
    LbPolicy lb = defaults.lbPolicy();
    if (node.has("lbPolicy")) {
      ConfigNode policyNode = node.get("lbPolicy");
      lb =
          LbPolicy.fromConfig(policyNode.asText())
              .orElseThrow(() -> policyNode.invalid("one of " + LbPolicy.names()));
    }
    String hashHeader = node.text("hashHeader", "");
    if (lb.hashed() && !hashHeader.matches("[a-z0-9-]+")) {
      throw (node.has("hashHeader") ? node.get("hashHeader") : node)
          .invalid("hashHeader: a lower-case header name to hash, needed by " + lb.configName());
    }
    List<String> fallback = null;
    if (node.has("fallback")) {
      fallback = node.texts("fallback");
    }
    Map<String, Integer> weights = new LinkedHashMap<>();
    if (node.has("versionWeights")) {
      ConfigNode w = node.get("versionWeights");
      for (String version : w.keys()) {
        weights.put(version, (int) w.integer(version, 0, 0, 100));
      }
    }
    PoolPolicy policy;
    try {
      policy =
          new PoolPolicy(
              lb,
              hashHeader,
              millis(node, "connectTimeoutMs", defaults.connectTimeout()),
              millis(node, "requestTimeoutMs", defaults.requestTimeout()),
              healthCheck(node),
              outlierDetection(node),
              circuitBreakers(node),
              retries(node),
              fallback,
              weights,
              rateLimit(node));
    } catch (IllegalArgumentException e) {
      throw node.invalid(e.getMessage());
    }
    List<PoolEndpoint> endpoints = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (ConfigNode endpoint : node.list("endpoints")) {
      PoolEndpoint parsed = endpoint(endpoint);
      if (!seen.add(parsed.address())) {
        throw endpoint.invalid("an endpoint not listed before in this pool");
      }
      endpoints.add(parsed);
    }
    List<ServiceRef> services = new ArrayList<>();
    if (node.has("kubernetes")) {
      ConfigNode k = node.get("kubernetes");
      List<ConfigNode> refs = k.isList() ? node.list("kubernetes") : List.of(k);
      for (ConfigNode ref : refs) {
        services.add(serviceRef(ref));
      }
    }
    return new Pool(name, policy, endpoints, services);
  }

  private static ServiceRef serviceRef(ConfigNode node) throws ConfigException {
    if (node.isScalar()) {
      try {
        return new ServiceRef(node.asText(), "", "");
      } catch (IllegalArgumentException e) {
        throw node.invalid("a Kubernetes Service name");
      }
    }
    node.onlyKeys("service", "port", "version");
    try {
      return new ServiceRef(node.text("service"), node.text("port", ""), node.text("version", ""));
    } catch (IllegalArgumentException e) {
      throw node.invalid(e.getMessage());
    }
  }

  private static Duration millis(ConfigNode node, String key, Duration fallback)
      throws ConfigException {
    return Duration.ofMillis(node.integer(key, fallback.toMillis(), 1, 3_600_000));
  }

  private static Optional<HealthCheck> healthCheck(ConfigNode pool) throws ConfigException {
    if (!pool.has("healthCheck")) {
      return Optional.empty();
    }
    ConfigNode n = pool.get("healthCheck").requireObject();
    n.onlyKeys(
        "path",
        "grpc",
        "grpcService",
        "intervalMs",
        "timeoutMs",
        "unhealthyThreshold",
        "healthyThreshold");
    HealthCheck d = HealthCheck.http("/healthz");
    boolean grpc = n.bool("grpc", n.has("grpcService"));
    if (grpc && n.has("path")) {
      throw n.invalid("either path (HTTP check) or grpc: true (gRPC health check), not both");
    }
    String path = n.text("path", d.path());
    if (!path.startsWith("/")) {
      throw n.get("path").invalid("an absolute path such as /healthz");
    }
    return Optional.of(
        new HealthCheck(
            grpc,
            path,
            n.text("grpcService", ""),
            millis(n, "intervalMs", d.interval()),
            millis(n, "timeoutMs", d.timeout()),
            (int) n.integer("unhealthyThreshold", d.unhealthyThreshold(), 1, 100),
            (int) n.integer("healthyThreshold", d.healthyThreshold(), 1, 100)));
  }

  private static OutlierDetection outlierDetection(ConfigNode pool) throws ConfigException {
    OutlierDetection d = OutlierDetection.DEFAULT;
    if (!pool.has("outlierDetection")) {
      return d;
    }
    ConfigNode n = pool.get("outlierDetection").requireObject();
    n.onlyKeys(
        "consecutive5xx",
        "consecutiveLocalFailures",
        "intervalMs",
        "baseEjectionTimeMs",
        "maxEjectionPercent");
    return new OutlierDetection(
        (int) n.integer("consecutive5xx", d.consecutive5xx(), 1, 1000),
        (int) n.integer("consecutiveLocalFailures", d.consecutiveLocalFailures(), 1, 1000),
        millis(n, "intervalMs", d.interval()),
        millis(n, "baseEjectionTimeMs", d.baseEjectionTime()),
        (int) n.integer("maxEjectionPercent", d.maxEjectionPercent(), 0, 100));
  }

  private static CircuitBreakers circuitBreakers(ConfigNode pool) throws ConfigException {
    CircuitBreakers d = CircuitBreakers.DEFAULT;
    if (!pool.has("circuitBreakers")) {
      return d;
    }
    ConfigNode n = pool.get("circuitBreakers").requireObject();
    n.onlyKeys("maxConnections", "maxPendingRequests", "maxRequests", "maxRetries");
    return new CircuitBreakers(
        (int) n.integer("maxConnections", d.maxConnections(), 1, 1_000_000),
        (int) n.integer("maxPendingRequests", d.maxPendingRequests(), 1, 1_000_000),
        (int) n.integer("maxRequests", d.maxRequests(), 1, 1_000_000),
        (int) n.integer("maxRetries", d.maxRetries(), 0, 1_000_000));
  }

  /**
   * {@code rateLimit: { requestsPerSecond: N, burst: M }} (or {@code requestsPerMinute}); burst
   * defaults to one unit's worth of requests.
   */
  private static Optional<RateLimit> rateLimit(ConfigNode pool) throws ConfigException {
    if (!pool.has("rateLimit")) {
      return Optional.empty();
    }
    ConfigNode n = pool.get("rateLimit").requireObject();
    n.onlyKeys(RateLimit.Per.SECOND.key(), RateLimit.Per.MINUTE.key(), "burst");
    boolean perSecond = n.has(RateLimit.Per.SECOND.key());
    if (perSecond == n.has(RateLimit.Per.MINUTE.key())) {
      throw n.invalid(
          "exactly one of " + RateLimit.Per.SECOND.key() + " and " + RateLimit.Per.MINUTE.key());
    }
    RateLimit.Per per = perSecond ? RateLimit.Per.SECOND : RateLimit.Per.MINUTE;
    int requests = (int) n.integer(per.key(), 1, 1, RateLimit.MAX);
    int burst = (int) n.integer("burst", requests, 1, RateLimit.MAX);
    return Optional.of(new RateLimit(requests, per, burst));
  }

  private static RetryPolicy retries(ConfigNode pool) throws ConfigException {
    RetryPolicy d = RetryPolicy.DEFAULT;
    if (!pool.has("retries")) {
      return d;
    }
    ConfigNode n = pool.get("retries").requireObject();
    n.onlyKeys("attempts", "perTryTimeoutMs");
    return new RetryPolicy(
        (int) n.integer("attempts", d.attempts(), 0, 10),
        Duration.ofMillis(n.integer("perTryTimeoutMs", 0, 0, 3_600_000)));
  }

  private static PoolEndpoint endpoint(ConfigNode node) throws ConfigException {
    ConfigNode addressNode = node;
    int weight = 1;
    String version = "";
    if (!node.isScalar()) {
      node.onlyKeys("address", "weight", "version");
      addressNode = node.get("address");
      weight = (int) node.integer("weight", 1, 1, 128);
      version = node.text("version", "");
    }
    try {
      PoolEndpoint.checkVersion(version);
    } catch (IllegalArgumentException e) {
      throw node.get("version").invalid("at most 63 letters, digits, '.', '_' or '-'");
    }
    try {
      return PoolEndpoint.parse(addressNode.asText(), weight, version);
    } catch (IllegalArgumentException e) {
      throw addressNode.invalid("host:port with a port in 1..65535");
    }
  }
}
