package dev.semlb.classifier.envoyroute;

import dev.semlb.classifier.rules.HeaderMatch;
import dev.semlb.classifier.rules.Match;
import dev.semlb.classifier.rules.PathMatch;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.classifier.rules.StringMatch;
import dev.semlb.classifier.view.RequestView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One rule's method, path and header conditions in Envoy's terms, when each means exactly what the
 * rules stage tests. Immutable.
 *
 * @param path the path condition
 * @param headers the method and header conditions
 * @param never whether the rules stage can never match the rule (a path test with {@code ?}, which
 *     the query-less path never holds, or a header the request view never carries)
 */
record RuleConditions(PathTest path, List<HeaderTest> headers, boolean never) {

  private static final RuleConditions NEVER = new RuleConditions(PathTest.ANY, List.of(), true);

  /** The conditions of {@code rule}, or empty when one of them has no exact Envoy form. */
  static Optional<RuleConditions> of(Rule rule) {
    Match match = rule.match();
    if (!match.json().isEmpty()
        || match.body() != null
        || !match.contentTypes().isEmpty()
        || match.grpc() != null) {
      return Optional.empty();
    }
    List<HeaderTest> headers = new ArrayList<>();
    if (!match.methods().isEmpty()) {
      // The rules stage upper-cases the method; Envoy passes it as sent.
      headers.add(
          HeaderTest.regex(
              ":method", "(?i)(?:" + String.join("|", new TreeSet<>(match.methods())) + ")"));
    }
    for (HeaderMatch header : match.headers()) {
      String name = header.name();
      if (name.startsWith(":") || RequestView.EXCLUDED_HEADERS.contains(name)) {
        return Optional.of(NEVER); // never in a request view, so never matched
      }
      if (name.equals("host")) {
        return Optional.empty(); // Envoy keeps it as :authority
      }
      Optional<HeaderTest> test = header(name, header.match());
      if (test.isEmpty()) {
        return Optional.empty();
      }
      headers.add(test.get());
    }
    if (match.path() == null) {
      return Optional.of(new RuleConditions(PathTest.ANY, headers, false));
    }
    return path(match.path())
        .map(p -> p == NO_PATH ? NEVER : new RuleConditions(p, headers, false));
  }

  /** Stands for a path test that no query-less path passes. */
  private static final PathTest NO_PATH = new PathTest(PathTest.Kind.EXACT, "?");

  /** The path test ({@link #NO_PATH} when it can never match), empty when it has no Envoy form. */
  private static Optional<PathTest> path(PathMatch path) {
    switch (path.kind()) {
      case EXACT:
        return literal(path.source(), PathTest.Kind.EXACT);
      case PREFIX:
        return literal(path.prefixText(), PathTest.Kind.PREFIX);
      case GLOB:
        return glob(path.source());
      default:
        return Optional.ofNullable(Re2Subset.of(path.pattern()))
            .map(re2 -> new PathTest(PathTest.Kind.REGEX, re2));
    }
  }

  private static Optional<PathTest> literal(String text, PathTest.Kind kind) {
    // The rules stage tests the path without its query string: a '?' can never be in it.
    return Optional.of(text.indexOf('?') >= 0 ? NO_PATH : new PathTest(kind, text));
  }

  /** A glob as an exact path, a prefix ({@code /a/**}) or a regex. */
  private static Optional<PathTest> glob(String glob) {
    int star = glob.indexOf('*');
    int any = glob.indexOf('?');
    if (star < 0 && any < 0) {
      return Optional.of(new PathTest(PathTest.Kind.EXACT, glob));
    }
    if (any < 0 && star == glob.length() - 2 && glob.endsWith("**")) {
      return Optional.of(new PathTest(PathTest.Kind.PREFIX, glob.substring(0, star)));
    }
    StringBuilder re2 = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re2.append(".*");
        i++;
      } else if (c == '*') {
        re2.append("[^/]*");
      } else if (c == '?') {
        re2.append("[^/]");
      } else {
        re2.append(Re2Subset.quote(String.valueOf(c)));
      }
    }
    return re2.length() <= Re2Subset.MAX_LENGTH
        ? Optional.of(new PathTest(PathTest.Kind.REGEX, re2.toString()))
        : Optional.empty();
  }

  private static Optional<HeaderTest> header(String name, StringMatch match) {
    if (match.ignoreCase() && !match.value().chars().allMatch(c -> c < 0x80)) {
      return Optional.empty(); // Envoy ignores ASCII case only
    }
    switch (match.kind()) {
      case PRESENT:
        return Optional.of(HeaderTest.present(name));
      case EXACT:
        return Optional.of(
            new HeaderTest(name, HeaderTest.Kind.EXACT, match.value(), match.ignoreCase(), false));
      case PREFIX:
        return Optional.of(
            new HeaderTest(name, HeaderTest.Kind.PREFIX, match.value(), match.ignoreCase(), false));
      case CONTAINS:
        return Optional.of(
            new HeaderTest(
                name, HeaderTest.Kind.CONTAINS, match.value(), match.ignoreCase(), false));
      default:
        // The rules stage searches the value; Envoy matches all of it.
        return Optional.ofNullable(Re2Subset.of(match.pattern()))
            .map(re2 -> HeaderTest.regex(name, ".*(?:" + re2 + ").*"));
    }
  }
}
