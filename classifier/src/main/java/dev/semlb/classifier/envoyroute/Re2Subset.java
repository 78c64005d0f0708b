package dev.semlb.classifier.envoyroute;

import java.util.regex.Pattern;

/**
 * Decides whether a Java regex means the same under RE2 (Envoy's regex engine) and gives its RE2
 * text. Accepted: literals, {@code \Q...\E}, the classes {@code \d \w \s} and their negations,
 * {@code \b \B \A \z}, escaped punctuation, bracket classes without nesting or {@code &&}, groups
 * {@code (...)}, {@code (?:...)} and the flags {@code i}, {@code s} and {@code m}, alternation,
 * anchors and greedy or lazy quantifiers up to 1000. Rejected (returns null): lookaround,
 * backreferences, possessive quantifiers, atomic or named groups, {@code \p{...}}, {@code \\u},
 * other escapes and Java-only flags; patterns over {@value #MAX_LENGTH} characters (Envoy refuses a
 * route table whose regex program is too large, so long patterns stay in ext_proc).
 *
 * <p>What remains differs only on input a route never sees in practice (documented in
 * docs/envoy-routes.md): {@code (?i)} folds non-ASCII letters in RE2 only, {@code .} matches {@code
 * \r} and U+2028 in RE2 only, and {@code \s} matches U+000B in Java only. Stateless.
 */
public final class Re2Subset {

  /** The longest pattern kept for Envoy. */
  public static final int MAX_LENGTH = 200;

  private Re2Subset() {}

  /** The RE2 form of {@code pattern} (flags included), or null when it cannot be proven equal. */
  public static String of(Pattern pattern) {
    // Inline flags, e.g. (?i), show in flags() too; only those given to compile() need a prefix.
    int flags = pattern.flags() & ~Pattern.compile(pattern.pattern()).flags();
    if ((flags & ~Pattern.DOTALL) != 0) {
      return null;
    }
    String re2 = translate(pattern.pattern());
    if (re2 == null) {
      return null;
    }
    re2 = (flags & Pattern.DOTALL) != 0 ? "(?s)" + re2 : re2;
    return re2.length() <= MAX_LENGTH ? re2 : null;
  }

  /** {@code text} as an RE2 literal. */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String translate(String p) {
    StringBuilder out = new StringBuilder(p.length() + 8);
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '\\') {
        if (i + 1 >= p.length()) {
          return null;
        }
        char e = p.charAt(i + 1);
        if (e == 'Q') {
          int end = p.indexOf("\\E", i + 2);
          String literal = p.substring(i + 2, end < 0 ? p.length() : end);
          out.append(quote(literal));
          i = end < 0 ? p.length() : end + 2;
          continue;
        }
        if (!escapeOk(e, false)) {
          return null;
        }
        out.append(c).append(e);
        i += 2;
      } else if (c == '[') {
        int end = classEnd(p, i);
        if (end < 0) {
          return null;
        }
        out.append(p, i, end + 1);
        i = end + 1;
      } else if (c == '(') {
        int skip = groupOpening(p, i);
        if (skip < 0) {
          return null;
        }
        out.append(p, i, i + skip);
        i += skip;
      } else if (c == '*' || c == '+' || c == '?' || c == '{') {
        int end = c == '{' ? p.indexOf('}', i) : i;
        if (end < 0 || (c == '{' && !boundedCount(p.substring(i + 1, end)))) {
          return null;
        }
        out.append(p, i, end + 1);
        i = end + 1;
        if (i < p.length() && p.charAt(i) == '+') {
          return null; // possessive
        }
        if (i < p.length() && p.charAt(i) == '?') {
          out.append('?');
          i++;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Escapes both engines read alike (in a bracket class, {@code b} and {@code B} are not). */
  private static boolean escapeOk(char e, boolean inClass) {
    if ("dDwWsStnrf".indexOf(e) >= 0) {
      return true;
    }
    if (!inClass && "bBAz".indexOf(e) >= 0) {
      return true;
    }
    return !Character.isLetterOrDigit(e) && e < 0x80;
  }

  /** The index of the {@code ]} closing the class at {@code start}, or -1 if not accepted. */
  private static int classEnd(String p, int start) {
    int i = start + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    if (i < p.length() && p.charAt(i) == ']') {
      return -1; // a leading ']' is literal in RE2 but not in Java
    }
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == ']') {
        return i;
      }
      if (c == '[' || (c == '&' && i + 1 < p.length() && p.charAt(i + 1) == '&')) {
        return -1; // union, intersection or POSIX class: Java and RE2 differ
      }
      if (c == '\\') {
        if (i + 1 >= p.length() || !escapeOk(p.charAt(i + 1), true)) {
          return -1;
        }
        i += 2;
      } else {
        i++;
      }
    }
    return -1;
  }

  /** How many characters open the group at {@code start}, or -1 if not accepted. */
  private static int groupOpening(String p, int start) {
    if (start + 1 >= p.length() || p.charAt(start + 1) != '?') {
      return 1;
    }
    int i = start + 2;
    while (i < p.length() && "ism-".indexOf(p.charAt(i)) >= 0) {
      i++;
    }
    if (i >= p.length()) {
      return -1;
    }
    char end = p.charAt(i);
    if (end == ':' || (end == ')' && i > start + 2)) {
      return i - start + 1;
    }
    return -1;
  }

  private static boolean boundedCount(String inside) {
    if (!inside.matches("\\d{1,4}(,\\d{0,4})?")) {
      return false;
    }
    for (String n : inside.split(",")) {
      if (!n.isEmpty() && Integer.parseInt(n) > 1000) {
        return false;
      }
    }
    return true;
  }
}
