package dev.semlb.classifier.rules;

import dev.semlb.classifier.view.RequestView;
import java.util.List;
import java.util.Set;

/**
 * The conditions of one rule. Every condition that is given must hold (AND); within a condition
 * that lists alternatives (methods, content types) any one suffices. A match with no conditions
 * matches every request. Immutable.
 *
 * @param methods upper-case methods, any of which matches; empty means any method
 * @param contentTypes media types, any of which matches; empty means any
 * @param path a path test, or null
 * @param headers header tests, all of which must pass
 * @param json JSON field tests, all of which must pass
 * @param body a body-text test, or null
 * @param grpc a test of the gRPC service and method, or null
 */
public record Match(
    Set<String> methods,
    Set<String> contentTypes,
    PathMatch path,
    List<HeaderMatch> headers,
    List<JsonFieldMatch> json,
    BodyMatch body,
    GrpcMatch grpc) {

  /** Without a gRPC test. */
  public Match(
      Set<String> methods,
      Set<String> contentTypes,
      PathMatch path,
      List<HeaderMatch> headers,
      List<JsonFieldMatch> json,
      BodyMatch body) {
    this(methods, contentTypes, path, headers, json, body, null);
  }

  /** Copies the collections. */
  public Match {
    methods = Set.copyOf(methods);
    contentTypes = Set.copyOf(contentTypes);
    headers = List.copyOf(headers);
    json = List.copyOf(json);
  }

  /** Whether {@code request} meets every condition. Cheap conditions are checked first. */
  public boolean matches(RequestView request) {
    if (!methods.isEmpty() && !methods.contains(request.method())) {
      return false;
    }
    if (!contentTypes.isEmpty() && !contentTypes.contains(request.contentType())) {
      return false;
    }
    if (path != null && !path.matches(request.path())) {
      return false;
    }
    if (grpc != null && !grpc.matches(request.grpc())) {
      return false;
    }
    for (HeaderMatch header : headers) {
      if (!header.match().matches(request.header(header.name()))) {
        return false;
      }
    }
    for (JsonFieldMatch field : json) {
      if (!field.matches(request.body().json())) {
        return false;
      }
    }
    return body == null || body.matches(request.body().text());
  }
}
