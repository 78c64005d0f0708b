package dev.semlb.xds.pools;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health checking of a pool's endpoints by Envoy: an HTTP GET of {@code path}, or a {@code
 * grpc.health.v1} check of {@code grpcService} when {@code grpc} is set. Immutable.
 *
 * @param grpc whether to use the gRPC health protocol instead of HTTP
 * @param path HTTP path to GET (2xx is healthy); ignored for gRPC. The default is {@code /healthz}
 * @param grpcService service name for the gRPC check; "" asks about the whole server
 * @param interval time between checks. The default is 1s
 * @param timeout time to wait for an answer. The default is 500ms
 * @param unhealthyThreshold failed checks before an endpoint is marked unhealthy. The default is 2
 * @param healthyThreshold passed checks before it is healthy again. The default is 1
 */
public record HealthCheck(
    boolean grpc,
    String path,
    String grpcService,
    Duration interval,
    Duration timeout,
    int unhealthyThreshold,
    int healthyThreshold) {

  /** Validates the fields. */
  public HealthCheck {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(grpcService, "grpcService");
    Positive.check("interval", interval);
    Positive.check("timeout", timeout);
    if (!grpc && !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "path: '" + path + "' (expected: an absolute path such as /healthz)");
    }
    if (unhealthyThreshold < 1) {
      throw new IllegalArgumentException(
          "unhealthyThreshold: " + unhealthyThreshold + " (expected: >= 1)");
    }
    if (healthyThreshold < 1) {
      throw new IllegalArgumentException(
          "healthyThreshold: " + healthyThreshold + " (expected: >= 1)");
    }
  }

  /** An HTTP check of {@code path} with the default timing. */
  public static HealthCheck http(String path) {
    return new HealthCheck(false, path, "", Duration.ofSeconds(1), Duration.ofMillis(500), 2, 1);
  }
}
