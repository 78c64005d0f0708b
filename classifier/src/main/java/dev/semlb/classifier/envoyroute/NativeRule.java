package dev.semlb.classifier.envoyroute;

import dev.semlb.classifier.rules.Rule;
import java.util.List;
import java.util.Objects;

/**
 * A rule that Envoy's route table decides by itself: the route named {@link #routeName()} sends a
 * request that passes {@code path} and every one of {@code headers} to the rule's pool, without an
 * ext_proc stream. Immutable.
 *
 * @param rule the rule, as the rules stage evaluates it
 * @param path the path condition
 * @param headers the header conditions (method, the rule's headers and the pool-header guard), all
 *     required
 */
public record NativeRule(Rule rule, PathTest path, List<HeaderTest> headers) {

  /** The prefix of every native route's name; the rest is the rule name. */
  public static final String ROUTE_PREFIX = "rule/";

  /** Copies the list. */
  public NativeRule {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(path, "path");
    headers = List.copyOf(headers);
  }

  /** The Envoy route name, which Envoy's access log reports back. */
  public String routeName() {
    return ROUTE_PREFIX + rule.name();
  }

  /**
   * The route's {@code stat_prefix}: Envoy counts the requests it takes exactly, as {@code
   * vhost.<virtual host>.route.<this>.upstream_rq_*}. {@code native_} and the rule name, with every
   * character other than a letter, digit, {@code _} or {@code -} replaced by {@code _} (a dot would
   * split the stat name).
   */
  public String statPrefix() {
    return "native_" + rule.name().replaceAll("[^A-Za-z0-9_-]", "_");
  }

  /** The rule name in a route name, or null if {@code routeName} is not a native rule's route. */
  public static String ruleOf(String routeName) {
    return routeName != null && routeName.startsWith(ROUTE_PREFIX)
        ? routeName.substring(ROUTE_PREFIX.length())
        : null;
  }
}
