package dev.semlb.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Where a service's admin HTTP API (metrics and JSON endpoints) listens. Immutable. It binds to
 * loopback by default; binding anywhere else requires a bearer token.
 *
 * @param host bind address. The default is {@code 127.0.0.1}
 * @param port port; 0 picks a free one, -1 turns the API off. The default is 9090
 * @param token bearer token every request must carry, or "" for none (loopback only)
 */
public record AdminConfig(String host, int port, String token) {

  /** Validates the fields; an exposed API without a token is refused. */
  public AdminConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(token, "token");
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException(
          "admin port: " + port + " (expected: -1 to turn off, or 0..65535)");
    }
    if (port >= 0 && token.isEmpty() && !isLoopback(host)) {
      throw new IllegalArgumentException(
          "admin host: '"
              + host
              + "' (expected: a loopback address, or set --admin-token / SEMLB_ADMIN_TOKEN to expose the admin API)");
    }
  }

  /** Whether the API is on. */
  public boolean enabled() {
    return port >= 0;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
