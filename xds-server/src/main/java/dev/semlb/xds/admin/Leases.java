package dev.semlb.xds.admin;

import dev.semlb.xds.registry.EndpointRegistry;
import dev.semlb.xds.registry.SourcedEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Time left on each registration, read from the registry once per API answer (the served snapshot
 * is not rebuilt on plain renewals, so its lease times would be stale). Immutable.
 */
final class Leases {

  private final Map<String, List<SourcedEndpoint>> byPool;
  private final Clock clock;

  Leases(EndpointRegistry registry, Clock clock) {
    this.byPool = registry.snapshot();
    this.clock = clock;
  }

  /** Milliseconds left on the lease of {@code address} in {@code pool}; 0 if it has none. */
  long remainingMs(String pool, String address) {
    return byPool.getOrDefault(pool, List.of()).stream()
        .filter(e -> e.endpoint().address().equals(address))
        .mapToLong(e -> Math.max(0, Duration.between(clock.instant(), e.expires()).toMillis()))
        .findFirst()
        .orElse(0);
  }
}
