package dev.semlb.xds.snapshot;

import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.registry.SourcedEndpoint;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses of every endpoint host of a set of served pools, resolved once, before a snapshot
 * is built: resolving may block on DNS, so {@link SnapshotPublisher} does it without holding its
 * lock, and building the resources from this is then pure and quick. A host that did not resolve is
 * absent (its endpoints are left out until the next refresh). Immutable.
 */
public final class ResolvedHosts {

  private static final Logger log = LoggerFactory.getLogger(ResolvedHosts.class);

  private final Map<String, List<String>> addresses;

  private ResolvedHosts(Map<String, List<String>> addresses) {
    this.addresses = Map.copyOf(addresses);
  }

  /** Resolves each distinct endpoint host of {@code served} once; may block on DNS. */
  public static ResolvedHosts resolve(ServedPools served, HostResolver resolver) {
    Map<String, List<String>> addresses = new LinkedHashMap<>();
    Set<String> tried = new HashSet<>();
    for (Pool pool : served.config().pools()) {
      for (SourcedEndpoint endpoint : served.endpointsOf(pool.name())) {
        String host = endpoint.endpoint().host();
        if (!tried.add(host)) {
          continue;
        }
        try {
          addresses.put(host, List.copyOf(resolver.resolve(host)));
        } catch (UnknownHostException e) {
          log.warn("pool {}: cannot resolve {}; leaving it out for now", pool.name(), host);
        }
      }
    }
    return new ResolvedHosts(addresses);
  }

  /** The addresses of {@code host}, in the resolver's order; empty if it did not resolve. */
  public Optional<List<String>> of(String host) {
    return Optional.ofNullable(addresses.get(host));
  }
}
