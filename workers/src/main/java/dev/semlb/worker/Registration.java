package dev.semlb.worker;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a worker registers itself with the xds-server, so it needs no entry in {@code pools.yaml}.
 * Immutable; validated on construction.
 *
 * @param xdsAdmin the xds-server admin API, e.g. {@code http://127.0.0.1:9091}
 * @param advertise the {@code host:port} Envoy should use to reach this worker; "" means the bind
 *     host (127.0.0.1 when binding all interfaces) and the bound port
 * @param version version label for blue/green weights; "" for none
 * @param weight load-balancing weight, 1..128
 * @param ttl lease length; the worker renews it every third of it
 * @param token bearer token for the admin API, or ""
 */
public record Registration(
    URI xdsAdmin, String advertise, String version, int weight, Duration ttl, String token) {

  /** Validates the fields. */
  public Registration {
    Objects.requireNonNull(xdsAdmin, "xdsAdmin");
    Objects.requireNonNull(advertise, "advertise");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(token, "token");
    if (!"http".equals(xdsAdmin.getScheme()) && !"https".equals(xdsAdmin.getScheme())) {
      throw new IllegalArgumentException(
          "register: " + xdsAdmin + " (expected: an http(s) URL of the xds-server admin API)");
    }
    if (weight < 1 || weight > 128) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: 1..128)");
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("register-ttl: " + ttl + " (expected: 1s..1h)");
    }
  }
}
