package dev.semlb.classifier.config;

import dev.semlb.classifier.rules.BodyMatch;
import dev.semlb.classifier.rules.GrpcMatch;
import dev.semlb.classifier.rules.HeaderMatch;
import dev.semlb.classifier.rules.JsonFieldMatch;
import dev.semlb.classifier.rules.Match;
import dev.semlb.classifier.rules.PathMatch;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.classifier.rules.StringMatch;
import dev.semlb.classifier.view.GrpcSchema;
import dev.semlb.config.ConfigException;
import dev.semlb.config.ConfigNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the {@code rules} of {@code routing.yaml}: each rule's name, pool, confidence and match
 * (methods, content types, path, headers, JSON fields, body keywords or regex, gRPC service and
 * method; {@link GrpcSection}), every problem reported with its place and what was expected.
 * Stateless; {@link RoutingConfigLoader} calls it.
 */
final class RuleSection {

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
  private static final String STRING_TESTS =
      "exactly one of exact, prefix, contains, regex, present";

  private RuleSection() {}

  /**
   * One entry of {@code rules}: its name (unique, added to {@code ruleNames}), pool (one of {@code
   * pools}), confidence and match.
   */
  static Rule read(ConfigNode node, Set<String> pools, Set<String> ruleNames, GrpcSchema grpc)
      throws ConfigException {
    node.onlyKeys("name", "pool", "confidence", "match");
    ConfigNode nameNode = node.get("name");
    if (!ruleNames.add(nameNode.asText())) {
      throw nameNode.invalid("a rule name not used before");
    }
    ConfigNode poolNode = node.get("pool");
    if (!pools.contains(poolNode.asText())) {
      throw poolNode.invalid("one of " + pools);
    }
    double confidence = node.number("confidence", 1.0, 0.0, 1.0);
    return new Rule(
        nameNode.asText(), poolNode.asText(), confidence, match(node.get("match"), grpc));
  }

  private static Match match(ConfigNode node, GrpcSchema schema) throws ConfigException {
    node.onlyKeys("methods", "contentTypes", "path", "headers", "json", "body", "grpc");
    Set<String> methods = new LinkedHashSet<>();
    for (ConfigNode method : listOrScalar(node, "methods")) {
      String m = method.asText().toUpperCase(Locale.ROOT);
      if (!METHODS.contains(m)) {
        throw method.invalid("an HTTP method, one of " + METHODS);
      }
      methods.add(m);
    }
    Set<String> contentTypes = new LinkedHashSet<>();
    for (String type : node.texts("contentTypes")) {
      contentTypes.add(type.trim().toLowerCase(Locale.ROOT));
    }
    PathMatch path = node.has("path") ? path(node.get("path")) : null;
    List<HeaderMatch> headers = new ArrayList<>();
    for (ConfigNode header : node.list("headers")) {
      header.onlyKeys("name", "exact", "prefix", "contains", "regex", "present", "ignoreCase");
      headers.add(new HeaderMatch(header.text("name"), stringMatch(header)));
    }
    List<JsonFieldMatch> json = new ArrayList<>();
    for (ConfigNode field : node.list("json")) {
      field.onlyKeys("field", "exact", "prefix", "contains", "regex", "present", "ignoreCase");
      json.add(new JsonFieldMatch(field.text("field"), stringMatch(field)));
    }
    BodyMatch body = node.has("body") ? body(node.get("body")) : null;
    GrpcMatch grpc =
        node.has("grpc")
            ? GrpcSection.match(node.get("grpc"), schema, RuleSection::stringMatch)
            : null;
    GrpcSection.checkFields(grpc, node.list("json"), schema, node);
    if (methods.isEmpty()
        && contentTypes.isEmpty()
        && path == null
        && headers.isEmpty()
        && json.isEmpty()
        && body == null
        && grpc == null) {
      throw node.invalid(
          "at least one condition (methods, contentTypes, path, headers, json, body, grpc)");
    }
    return new Match(methods, contentTypes, path, headers, json, body, grpc);
  }

  private static List<ConfigNode> listOrScalar(ConfigNode node, String key) throws ConfigException {
    if (node.has(key) && node.get(key).isScalar()) {
      return List.of(node.get(key));
    }
    return node.list(key);
  }

  private static PathMatch path(ConfigNode node) throws ConfigException {
    node.onlyKeys("glob", "prefix", "exact", "regex");
    int given = count(node, "glob", "prefix", "exact", "regex");
    if (given != 1) {
      throw node.invalid("exactly one of glob, prefix, exact, regex");
    }
    if (node.has("glob")) {
      return PathMatch.glob(node.text("glob"));
    }
    if (node.has("prefix")) {
      return PathMatch.prefix(node.text("prefix"));
    }
    if (node.has("exact")) {
      return PathMatch.exact(node.text("exact"));
    }
    return PathMatch.regex(regex(node.get("regex")));
  }

  private static StringMatch stringMatch(ConfigNode node) throws ConfigException {
    int given = count(node, "exact", "prefix", "contains", "regex", "present");
    if (given != 1) {
      throw node.invalid(STRING_TESTS);
    }
    boolean ignoreCase = node.bool("ignoreCase", false);
    if (node.has("present")) {
      if (!node.bool("present", true)) {
        throw node.get("present").invalid("true (omit the test to allow absence)");
      }
      return StringMatch.present();
    }
    if (node.has("regex")) {
      return StringMatch.regex(regex(node.get("regex")));
    }
    if (node.has("prefix")) {
      return new StringMatch(StringMatch.Kind.PREFIX, node.text("prefix"), ignoreCase, null);
    }
    if (node.has("contains")) {
      return new StringMatch(StringMatch.Kind.CONTAINS, node.text("contains"), ignoreCase, null);
    }
    return StringMatch.exact(node.text("exact"), ignoreCase);
  }

  private static BodyMatch body(ConfigNode node) throws ConfigException {
    node.onlyKeys("keywords", "regex");
    List<String> keywords = node.texts("keywords");
    Pattern regex = node.has("regex") ? regex(node.get("regex")) : null;
    if (keywords.isEmpty() && regex == null) {
      throw node.invalid("keywords or regex");
    }
    return BodyMatch.of(keywords, regex);
  }

  private static Pattern regex(ConfigNode node) throws ConfigException {
    String source = node.asText();
    try {
      return Pattern.compile(source);
    } catch (PatternSyntaxException e) {
      throw node.invalid("a valid regular expression: " + e.getDescription());
    }
  }

  private static int count(ConfigNode node, String... keys) {
    int n = 0;
    for (String key : keys) {
      if (node.has(key)) {
        n++;
      }
    }
    return n;
  }
}
