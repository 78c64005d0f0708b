package dev.semlb.classifier.eval;

import java.util.Objects;

/**
 * One HTTP request with the pool it should be routed to, as used by workloads, load tests and
 * evaluations. Immutable.
 *
 * @param expectedPool the pool the request should reach
 * @param method HTTP method
 * @param path request target, including any query string
 * @param contentType Content-Type value, or "" for none
 * @param body request body text, or "" for none
 * @param source where the case comes from (a public API or dataset), or "" when unknown
 */
public record LabelledRequest(
    String expectedPool,
    String method,
    String path,
    String contentType,
    String body,
    String source) {

  /** Checks the fields. */
  public LabelledRequest {
    Objects.requireNonNull(expectedPool, "expectedPool");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(source, "source");
  }

  /** A case of no particular source. */
  public LabelledRequest(
      String expectedPool, String method, String path, String contentType, String body) {
    this(expectedPool, method, path, contentType, body, "");
  }

  /** A short description for reports: {@code POST /graphql -> high-compute}. */
  public String describe() {
    return method + " " + path + " -> " + expectedPool;
  }
}
