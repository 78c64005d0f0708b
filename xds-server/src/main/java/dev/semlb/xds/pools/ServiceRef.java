package dev.semlb.xds.pools;

import java.util.Objects;

/**
 * A Kubernetes Service whose ready endpoints (read from its EndpointSlices) join a pool. Immutable.
 *
 * @param service the Service name, in the xds-server's namespace
 * @param port the port to use: a port name as in the Service (e.g. {@code http}), a number, or ""
 *     when the Service has a single port
 * @param version version label given to these endpoints (one Service per version for blue/green),
 *     or ""
 */
public record ServiceRef(String service, String port, String version) {

  /** Validates the fields. */
  public ServiceRef {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(port, "port");
    if (!service.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "service: '" + service + "' (expected: a Kubernetes Service name)");
    }
    if (!port.isEmpty() && !port.matches("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?|[0-9]{1,5}")) {
      throw new IllegalArgumentException("port: '" + port + "' (expected: a port name or number)");
    }
    PoolEndpoint.checkVersion(version);
  }
}
