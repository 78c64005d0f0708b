package dev.semlb.classifier.rules;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A test on one string value: exact, prefix, contains, regex (searched, not anchored), or mere
 * presence. Immutable and thread-safe.
 *
 * @param kind what kind of test
 * @param value the expected text or the regex source; empty for {@link Kind#PRESENT}
 * @param ignoreCase whether exact, prefix and contains compare case-insensitively
 * @param pattern the compiled regex for {@link Kind#REGEX}, otherwise null
 */
public record StringMatch(Kind kind, String value, boolean ignoreCase, Pattern pattern) {

  /** The kinds of string test. */
  public enum Kind {
    EXACT,
    PREFIX,
    CONTAINS,
    REGEX,
    PRESENT
  }

  /** Checks that a regex test carries its pattern. */
  public StringMatch {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    if (kind == Kind.REGEX && pattern == null) {
      throw new IllegalArgumentException("pattern: null (expected: a compiled regex for REGEX)");
    }
  }

  /** Matches when the value is present at all. */
  public static StringMatch present() {
    return new StringMatch(Kind.PRESENT, "", false, null);
  }

  /** Matches when the value equals {@code value}. */
  public static StringMatch exact(String value, boolean ignoreCase) {
    return new StringMatch(Kind.EXACT, value, ignoreCase, null);
  }

  /** Matches when {@code regex} is found anywhere in the value. */
  public static StringMatch regex(Pattern regex) {
    return new StringMatch(Kind.REGEX, regex.pattern(), false, regex);
  }

  /** Whether {@code actual} (null when absent) passes this test. */
  public boolean matches(String actual) {
    if (actual == null) {
      return false;
    }
    switch (kind) {
      case PRESENT:
        return true;
      case REGEX:
        return pattern.matcher(actual).find();
      default:
        break;
    }
    String a = ignoreCase ? actual.toLowerCase(Locale.ROOT) : actual;
    String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    switch (kind) {
      case EXACT:
        return a.equals(v);
      case PREFIX:
        return a.startsWith(v);
      case CONTAINS:
        return a.contains(v);
      default:
        throw new AssertionError(kind);
    }
  }

  @Override
  public String toString() {
    return kind == Kind.PRESENT
        ? "present"
        : kind.name().toLowerCase(Locale.ROOT) + " '" + value + "'";
  }
}
