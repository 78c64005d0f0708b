package dev.semlb.extproc.feedback;

/**
 * The HTTP status a gRPC call's outcome stands for, so that cost feedback and the per-pool response
 * counts treat a failed call (HTTP 200 with a non-zero {@code grpc-status}) as the error it is. The
 * mapping is the usual one of {@code google.rpc.Code} to HTTP (e.g. {@code UNAVAILABLE} 503, {@code
 * INVALID_ARGUMENT} 400, {@code RESOURCE_EXHAUSTED} 429). Stateless.
 */
final class GrpcOutcome {

  private GrpcOutcome() {}

  /**
   * The status to record: {@code httpStatus} when there is no gRPC status or it is OK (0) or
   * unreadable, else the HTTP equivalent of the gRPC code.
   */
  static int httpStatus(int httpStatus, String grpcStatus) {
    if (grpcStatus == null || grpcStatus.isBlank()) {
      return httpStatus;
    }
    int code;
    try {
      code = Integer.parseInt(grpcStatus.trim());
    } catch (NumberFormatException e) {
      return httpStatus;
    }
    return switch (code) {
      case 0 -> httpStatus;
      case 1 -> 499; // CANCELLED
      case 3, 9, 11 -> 400; // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
      case 4 -> 504; // DEADLINE_EXCEEDED
      case 5 -> 404; // NOT_FOUND
      case 6, 10 -> 409; // ALREADY_EXISTS, ABORTED
      case 7 -> 403; // PERMISSION_DENIED
      case 8 -> 429; // RESOURCE_EXHAUSTED
      case 12 -> 501; // UNIMPLEMENTED
      case 14 -> 503; // UNAVAILABLE
      case 16 -> 401; // UNAUTHENTICATED
      default -> 500; // UNKNOWN, INTERNAL, DATA_LOSS and codes gRPC does not define
    };
  }
}
