package dev.semlb.classifier.rules;

import java.util.Locale;
import java.util.Objects;

/**
 * A test on one request header, by case-insensitive name. Immutable.
 *
 * @param name lower-case header name
 * @param match the test applied to the header value
 */
public record HeaderMatch(String name, StringMatch match) {

  /** Normalizes the name. */
  public HeaderMatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    name = name.toLowerCase(Locale.ROOT);
  }
}
