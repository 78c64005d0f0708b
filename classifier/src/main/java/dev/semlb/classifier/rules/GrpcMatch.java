package dev.semlb.classifier.rules;

import dev.semlb.classifier.view.GrpcMethod;

/**
 * A test on the gRPC method a request calls ({@link GrpcMethod}, from its {@code :path} {@code
 * /package.Service/Method} and {@code application/grpc} content type): a request that is no gRPC
 * call never passes. Immutable.
 *
 * @param service a test of the fully qualified service name, or null for any service
 * @param method a test of the method name, or null for any method
 */
public record GrpcMatch(StringMatch service, StringMatch method) {

  /** Whether the request's call (null when it is none) passes. */
  public boolean matches(GrpcMethod call) {
    return call != null
        && (service == null || service.matches(call.service()))
        && (method == null || method.matches(call.method()));
  }
}
