package dev.semlb.classifier.envoyroute;

import dev.semlb.classifier.rules.Rule;
import dev.semlb.wire.WireContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which rules Envoy's route table can decide without ext_proc, with the same first-match result as
 * the rules stage. Immutable.
 *
 * <p>A rule becomes a native route when (1) {@link RuleConditions} can state all its conditions in
 * Envoy's terms (method, path and headers; no body, JSON or content-type tests) and (2) no earlier
 * rule that stays in ext_proc could match a request the route takes: every such earlier rule must
 * name methods disjoint from this one's. Rules that can never match (e.g. on a header the rules
 * stage never sees) are left out. Every route also requires {@link WireContract#POOL_HEADER} to be
 * absent, so a request that ext_proc routed never matches one when Envoy re-picks its route.
 *
 * <p>Why an earlier body rule blocks a later header rule even though it can never match a bodiless
 * request: Envoy picks the route from the headers alone, before any body arrives, and cannot tell
 * that a request has no body. A chunked HTTP/1.1 request (Envoy's codec drops its {@code
 * transfer-encoding}) and an HTTP/2 request without {@code content-length} look bodiless; a route
 * guarded on those headers took them from the body rule ({@code EnvoyRoutesEquivalenceIT} found
 * it). So that case stays in ext_proc, where the first-match result is exact.
 *
 * @param rules the native rules, in rule order
 */
public record NativeRoutePlan(List<NativeRule> rules) {

  /** No native routes: everything goes through ext_proc. */
  public static final NativeRoutePlan NONE = new NativeRoutePlan(List.of());

  /** Copies the list. */
  public NativeRoutePlan {
    rules = List.copyOf(rules);
  }

  /** The plan for {@code rules}, in their evaluation order. */
  public static NativeRoutePlan of(List<Rule> rules) {
    List<Set<String>> earlier = new ArrayList<>(); // methods of earlier rules left in ext_proc
    List<NativeRule> natives = new ArrayList<>();
    for (Rule rule : rules) {
      Optional<RuleConditions> conditions = RuleConditions.of(rule);
      if (conditions.isPresent() && conditions.get().never()) {
        continue;
      }
      Set<String> methods = rule.match().methods();
      boolean blocked =
          conditions.isEmpty() || earlier.stream().anyMatch(e -> !disjoint(methods, e));
      if (blocked) {
        earlier.add(methods);
        continue;
      }
      List<HeaderTest> headers = new ArrayList<>(conditions.get().headers());
      headers.add(HeaderTest.absent(WireContract.POOL_HEADER));
      natives.add(new NativeRule(rule, conditions.get().path(), headers));
    }
    return new NativeRoutePlan(natives);
  }

  /** The native rule named {@code ruleName}, if it is one. */
  public Optional<NativeRule> rule(String ruleName) {
    return rules.stream().filter(r -> r.rule().name().equals(ruleName)).findFirst();
  }

  /** Whether no request has both a method of {@code a} and of {@code b} (empty: any method). */
  private static boolean disjoint(Set<String> a, Set<String> b) {
    return !a.isEmpty() && !b.isEmpty() && a.stream().noneMatch(b::contains);
  }
}
