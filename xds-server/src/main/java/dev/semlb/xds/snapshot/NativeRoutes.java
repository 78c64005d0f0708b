package dev.semlb.xds.snapshot;

import com.google.protobuf.Any;
import dev.semlb.classifier.envoyroute.HeaderTest;
import dev.semlb.classifier.envoyroute.NativeRule;
import dev.semlb.classifier.envoyroute.PathTest;
import dev.semlb.wire.WireContract;
import dev.semlb.xds.pools.Pool;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExtProcPerRoute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a {@link NativeRule} into Envoy routes: the rule's conditions, its pool's cluster (with the
 * pool's timeout, retries and hash policy), ext_proc off for the route, and {@link
 * WireContract#POOL_HEADER} set on the upstream request as ext_proc would have. Like the pool
 * routes, idempotent methods get their own route (retried after resets and 5xx gateway errors as
 * well); both carry the native route's name, which the access log reports, and its stat prefix,
 * under which Envoy counts every request the rule decides (the access log reports a sample).
 * Stateless.
 */
final class NativeRoutes {

  private static final Set<String> IDEMPOTENT = Set.of(Routes.IDEMPOTENT.split("\\|"));

  private static final Any EXT_PROC_OFF =
      Any.pack(ExtProcPerRoute.newBuilder().setDisabled(true).build());

  private NativeRoutes() {}

  /** The routes for {@code rule} to {@code pool}, idempotent one first. */
  static List<Route> routes(Pool pool, NativeRule rule) {
    Set<String> methods = rule.rule().match().methods();
    boolean someIdempotent = methods.isEmpty() || methods.stream().anyMatch(IDEMPOTENT::contains);
    boolean allIdempotent = !methods.isEmpty() && IDEMPOTENT.containsAll(methods);
    List<Route> routes = new ArrayList<>(2);
    if (someIdempotent) {
      routes.add(route(pool, rule, true, !allIdempotent));
    }
    if (!allIdempotent) {
      routes.add(route(pool, rule, false, false));
    }
    return routes;
  }

  private static Route route(
      Pool pool, NativeRule rule, boolean idempotent, boolean idempotentMatcher) {
    RouteMatch.Builder match = RouteMatch.newBuilder();
    PathTest path = rule.path();
    switch (path.kind()) {
      case EXACT -> match.setPath(path.value());
      case PREFIX -> match.setPrefix(path.value());
      case REGEX -> match.setSafeRegex(RegexMatcher.newBuilder().setRegex(path.value()));
    }
    rule.headers().forEach(h -> match.addHeaders(header(h)));
    if (idempotentMatcher) {
      match.addHeaders(Routes.idempotentMethod());
    }
    return Route.newBuilder()
        .setName(rule.routeName())
        .setStatPrefix(rule.statPrefix())
        .setMatch(match)
        .setRoute(Routes.action(pool, idempotent))
        .addRequestHeadersToAdd(
            HeaderValueOption.newBuilder()
                .setHeader(
                    HeaderValue.newBuilder().setKey(WireContract.POOL_HEADER).setValue(pool.name()))
                .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
        .putTypedPerFilterConfig(WireContract.EXT_PROC_FILTER_NAME, EXT_PROC_OFF)
        .build();
  }

  static HeaderMatcher header(HeaderTest test) {
    HeaderMatcher.Builder header =
        HeaderMatcher.newBuilder()
            .setName(test.name())
            .setTreatMissingHeaderAsEmpty(test.missingAsEmpty());
    StringMatcher.Builder string = StringMatcher.newBuilder().setIgnoreCase(test.ignoreCase());
    switch (test.kind()) {
      case PRESENT -> header.setPresentMatch(true);
      case ABSENT -> header.setPresentMatch(false);
      case EXACT -> header.setStringMatch(string.setExact(test.value()));
      case PREFIX -> header.setStringMatch(string.setPrefix(test.value()));
      case CONTAINS -> header.setStringMatch(string.setContains(test.value()));
      case REGEX ->
          header.setStringMatch(
              StringMatcher.newBuilder()
                  .setSafeRegex(RegexMatcher.newBuilder().setRegex(test.value())));
    }
    return header.build();
  }
}
