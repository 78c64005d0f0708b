package dev.semlb.xds.pools;

import java.util.Objects;

/**
 * One upstream of a pool as written in {@code pools.yaml}: a host (IP address or DNS name)
 * and port, with a load-balancing weight. Immutable.
 *
 * @param host IP address or DNS name
 * @param port 1..65535
 * @param weight relative share of the pool's traffic, 1..128
 */
public record PoolEndpoint(String host, int port, int weight) {

  /** Validates the fields. */
  public PoolEndpoint {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: '' (expected: an IP address or DNS name)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (weight < 1 || weight > 128) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: 1..128)");
    }
  }

  @Override
  public String toString() {
    return host + ":" + port + (weight == 1 ? "" : " (weight " + weight + ")");
  }
}
