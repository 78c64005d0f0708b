package dev.semlb.xds.pools;

import java.util.Objects;

/**
 * One upstream of a pool: a host (IP address or DNS name) and port, with a load-balancing weight
 * and a version label for blue/green traffic splits. Immutable.
 *
 * @param host IP address or DNS name
 * @param port 1..65535
 * @param weight relative share of the pool's traffic within its version, 1..128
 * @param version version label (letters, digits, '.', '_', '-'; at most 63), "" for none
 */
public record PoolEndpoint(String host, int port, int weight, String version) {

  /** Validates the fields. */
  public PoolEndpoint {
    Objects.requireNonNull(host, "host");
    if (host.isBlank() || host.length() > 253 || !host.matches("[A-Za-z0-9.:_-]+")) {
      throw new IllegalArgumentException(
          "host: '" + host + "' (expected: an IP address or DNS name)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (weight < 1 || weight > 128) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: 1..128)");
    }
    checkVersion(version);
  }

  /** An endpoint with weight 1 and no version. */
  public PoolEndpoint(String host, int port) {
    this(host, port, 1, "");
  }

  /** Checks a version label. */
  static void checkVersion(String version) {
    Objects.requireNonNull(version, "version");
    if (!version.matches("[A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException(
          "version: '" + version + "' (expected: at most 63 letters, digits, '.', '_' or '-')");
    }
  }

  /** {@code host:port}, the endpoint's identity within a pool. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Parses {@code host:port} (IPv6 in brackets).
   *
   * @throws IllegalArgumentException naming what was expected
   */
  public static PoolEndpoint parse(String address, int weight, String version) {
    String text = address.trim();
    int colon = text.lastIndexOf(':');
    String host = colon <= 0 ? "" : text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (host.isBlank() || port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "address: '" + address + "' (expected: host:port with a port in 1..65535)");
    }
    return new PoolEndpoint(host, port, weight, version);
  }

  @Override
  public String toString() {
    return address()
        + (weight == 1 ? "" : " (weight " + weight + ")")
        + (version.isEmpty() ? "" : " [" + version + "]");
  }
}
