package dev.semlb.classifier.eval;

import java.util.Objects;

/**
 * One HTTP request with the pool it should be routed to, as used by workloads, load tests
 * and evaluations. Immutable.
 *
 * @param expectedPool the pool the request should reach
 * @param method HTTP method
 * @param path request target, including any query string
 * @param contentType Content-Type value, or "" for none
 * @param body request body text, or "" for none
 */
public record LabelledRequest(String expectedPool, String method, String path, String contentType, String body) {

  /** Checks the fields. */
  public LabelledRequest {
    Objects.requireNonNull(expectedPool, "expectedPool");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** A short description for reports: {@code POST /graphql -> high-compute}. */
  public String describe() {
    return method + " " + path + " -> " + expectedPool;
  }
}
