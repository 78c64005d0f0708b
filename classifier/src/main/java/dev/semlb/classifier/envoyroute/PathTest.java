package dev.semlb.classifier.envoyroute;

import java.util.Objects;

/**
 * A route's path condition, in the terms of Envoy's {@code RouteMatch}: an exact path, a prefix
 * (both on the path without its query string) or an RE2 regex that must match the whole path.
 * Immutable.
 *
 * @param kind which condition
 * @param value the path, the prefix (empty: any path) or the RE2 regex
 */
public record PathTest(Kind kind, String value) {

  /** The kinds of path condition. */
  public enum Kind {
    EXACT,
    PREFIX,
    REGEX
  }

  /** Any path at all. */
  public static final PathTest ANY = new PathTest(Kind.PREFIX, "");

  /** Checks the fields. */
  public PathTest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
  }
}
