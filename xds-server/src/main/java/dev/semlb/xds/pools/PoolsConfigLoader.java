package dev.semlb.xds.pools;

import dev.semlb.config.ConfigException;
import dev.semlb.config.ConfigNode;
import dev.semlb.config.PoolName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code pools.yaml} into a validated {@link PoolsConfig}; every error names the file,
 * the path of the value, the value and what was expected. Format:
 *
 * <pre>
 * pools:
 *   - name: fast-path
 *     lbPolicy: least_request      # round_robin (default) | least_request | random
 *     connectTimeoutMs: 500        # default 1000
 *     endpoints:
 *       - 127.0.0.1:9003           # host:port, weight 1
 *       - { address: 10.0.0.7:9003, weight: 3 }
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
    root.onlyKeys("pools");
    List<Pool> pools = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (ConfigNode node : root.list("pools")) {
      pools.add(pool(node, names));
    }
    if (pools.isEmpty()) {
      throw root.get("pools").invalid("at least one pool");
    }
    return new PoolsConfig(pools);
  }

  private static Pool pool(ConfigNode node, Set<String> names) throws ConfigException {
    node.onlyKeys("name", "lbPolicy", "connectTimeoutMs", "endpoints");
    ConfigNode nameNode = node.get("name");
    String name = nameNode.asText();
    if (!PoolName.isValid(name)) {
      throw nameNode.invalid(PoolName.EXPECTED);
    }
    if (!names.add(name)) {
      throw nameNode.invalid("a pool name not used before");
    }
    LbPolicy policy = LbPolicy.ROUND_ROBIN;
    if (node.has("lbPolicy")) {
      ConfigNode policyNode = node.get("lbPolicy");
      policy = LbPolicy.fromConfig(policyNode.asText())
          .orElseThrow(() -> policyNode.invalid("one of round_robin, least_request, random"));
    }
    long connectMs = node.integer("connectTimeoutMs", 1000, 1, 600_000);
    List<PoolEndpoint> endpoints = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (ConfigNode endpoint : node.list("endpoints")) {
      PoolEndpoint parsed = endpoint(endpoint);
      if (!seen.add(parsed.host() + ":" + parsed.port())) {
        throw endpoint.invalid("an endpoint not listed before in this pool");
      }
      endpoints.add(parsed);
    }
    return new Pool(name, policy, Duration.ofMillis(connectMs), endpoints);
  }

  private static PoolEndpoint endpoint(ConfigNode node) throws ConfigException {
    ConfigNode addressNode = node;
    int weight = 1;
    if (!node.isScalar()) {
      node.onlyKeys("address", "weight");
      addressNode = node.get("address");
      weight = (int) node.integer("weight", 1, 1, 128);
    }
    String address = addressNode.asText().trim();
    int colon = address.lastIndexOf(':');
    String host = colon <= 0 ? "" : address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (host.isBlank() || port < 1 || port > 65535) {
      throw addressNode.invalid("host:port with a port in 1..65535");
    }
    return new PoolEndpoint(host, port, weight);
  }
}
