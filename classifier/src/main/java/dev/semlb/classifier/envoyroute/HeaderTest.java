package dev.semlb.classifier.envoyroute;

import java.util.Objects;

/**
 * A route's header condition, in the terms of Envoy's {@code HeaderMatcher}: exact, prefix or
 * contains (optionally ignoring ASCII case), an RE2 regex on the whole value, presence or absence.
 * Repeated headers are tested joined with {@code ","}, as ext-proc-service joins them. Immutable.
 *
 * @param name lower-case header name, or {@code :method}
 * @param kind which test
 * @param value the text or RE2 regex; empty for presence and absence
 * @param ignoreCase whether exact, prefix and contains ignore ASCII case
 * @param missingAsEmpty whether an absent header is tested as the empty value
 */
public record HeaderTest(
    String name, Kind kind, String value, boolean ignoreCase, boolean missingAsEmpty) {

  /** The kinds of header test. */
  public enum Kind {
    EXACT,
    PREFIX,
    CONTAINS,
    REGEX,
    PRESENT,
    ABSENT
  }

  /** Checks the fields. */
  public HeaderTest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
  }

  /** The header is present. */
  public static HeaderTest present(String name) {
    return new HeaderTest(name, Kind.PRESENT, "", false, false);
  }

  /** The header is absent. */
  public static HeaderTest absent(String name) {
    return new HeaderTest(name, Kind.ABSENT, "", false, false);
  }

  /** The whole value matches the RE2 {@code regex}. */
  public static HeaderTest regex(String name, String regex) {
    return new HeaderTest(name, Kind.REGEX, regex, false, false);
  }
}
