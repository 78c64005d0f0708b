package dev.semlb.classifier.view;

import java.util.Objects;

/**
 * The gRPC method a request calls: its {@code :path} is {@code /<package.Service>/<Method>} and its
 * content type {@code application/grpc} (or {@code application/grpc+<codec>}). Immutable.
 *
 * @param service the fully qualified service name, e.g. {@code semlb.demo.v1.Orders}
 * @param method the method name, e.g. {@code Create}
 */
public record GrpcMethod(String service, String method) {

  /** Checks the fields. */
  public GrpcMethod {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(method, "method");
    if (service.isEmpty() || method.isEmpty()) {
      throw new IllegalArgumentException(
          "grpc method: '" + service + "/" + method + "' (expected: Service/Method)");
    }
  }

  /**
   * The method a request calls, or null when it is no gRPC call (another content type, or a path
   * that is not exactly two non-empty segments).
   *
   * @param mediaType the request's media type (lower case, no parameters; {@link
   *     RequestView#mediaType})
   * @param path the request path without query
   */
  public static GrpcMethod of(String mediaType, String path) {
    if (!isGrpc(mediaType) || path == null || path.length() < 4 || path.charAt(0) != '/') {
      return null;
    }
    int slash = path.indexOf('/', 1);
    if (slash < 2 || slash == path.length() - 1 || path.indexOf('/', slash + 1) >= 0) {
      return null;
    }
    return new GrpcMethod(path.substring(1, slash), path.substring(slash + 1));
  }

  /** Whether a media type is gRPC's ({@code application/grpc}, {@code application/grpc+proto}). */
  public static boolean isGrpc(String mediaType) {
    return mediaType != null
        && (mediaType.equals("application/grpc") || mediaType.startsWith("application/grpc+"));
  }

  /** {@code service/method}, as in the path without its leading slash. */
  public String fullName() {
    return service + "/" + method;
  }
}
