package dev.semlb.classifier.rules;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A test on the request path (without the query string). Globs use {@code *} for any run of
 * characters within one segment, {@code **} across segments and {@code ?} for one character;
 * regexes must match the whole path. Immutable and thread-safe.
 *
 * @param kind how the config wrote the test
 * @param source the glob, prefix, exact path or regex as written in the config (a prefix with
 *     {@code *} appended)
 * @param pattern the compiled whole-path pattern
 */
public record PathMatch(Kind kind, String source, Pattern pattern) {

  /** How a path test was written. */
  public enum Kind {
    GLOB,
    PREFIX,
    EXACT,
    REGEX
  }

  /** Checks the fields. */
  public PathMatch {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(pattern, "pattern");
  }

  /** A glob such as {@code /api/**}{@code /reports/*}. */
  public static PathMatch glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new PathMatch(Kind.GLOB, glob, Pattern.compile(regex.toString()));
  }

  /** A path prefix. */
  public static PathMatch prefix(String prefix) {
    return new PathMatch(
        Kind.PREFIX, prefix + "*", Pattern.compile(Pattern.quote(prefix) + ".*", Pattern.DOTALL));
  }

  /** One exact path. */
  public static PathMatch exact(String path) {
    return new PathMatch(Kind.EXACT, path, Pattern.compile(Pattern.quote(path)));
  }

  /** The prefix of a {@link Kind#PREFIX} test ({@link #source} without its {@code *}). */
  public String prefixText() {
    return kind == Kind.PREFIX ? source.substring(0, source.length() - 1) : null;
  }

  /** A regex that must match the whole path. */
  public static PathMatch regex(Pattern regex) {
    return new PathMatch(Kind.REGEX, regex.pattern(), regex);
  }

  /** Whether {@code path} passes. */
  public boolean matches(String path) {
    return pattern.matcher(path).matches();
  }
}
