package dev.semlb.xds.registry;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.semlb.xds.pools.PoolEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Endpoints registered at run time, each with a lease. A registration names a pool, an endpoint and
 * a TTL; registering the same address again renews the lease (a heartbeat) and updates its weight
 * and version. An endpoint whose lease runs out is dropped by {@link #expire()}. Which pools exist
 * is not checked here; the caller does that.
 *
 * <p>Thread-safe: every method is synchronized on {@code this}.
 */
public final class EndpointRegistry {

  /** The shortest and longest lease a registration may ask for. */
  public static final Duration MIN_TTL = Duration.ofSeconds(1);

  /** See {@link #MIN_TTL}. */
  public static final Duration MAX_TTL = Duration.ofHours(1);

  private final Clock clock;

  /** pool -> address -> lease; insertion ordered so the API lists endpoints stably. */
  @GuardedBy("this")
  private final Map<String, Map<String, SourcedEndpoint>> leases = new LinkedHashMap<>();

  /**
   * @param clock the time source for leases
   */
  public EndpointRegistry(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Registers or renews {@code endpoint} in {@code pool} for {@code ttl}.
   *
   * @return true when the set of endpoints changed (new address, or new weight or version); false
   *     for a plain renewal
   * @throws IllegalArgumentException if {@code ttl} is outside {@link #MIN_TTL}..{@link #MAX_TTL}
   */
  public synchronized boolean register(String pool, PoolEndpoint endpoint, Duration ttl) {
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException(
          "ttlSeconds: "
              + ttl.toSeconds()
              + " (expected: "
              + MIN_TTL.toSeconds()
              + ".."
              + MAX_TTL.toSeconds()
              + ")");
    }
    SourcedEndpoint lease =
        new SourcedEndpoint(endpoint, EndpointSource.REGISTRATION, clock.instant().plus(ttl));
    SourcedEndpoint before =
        leases.computeIfAbsent(pool, p -> new LinkedHashMap<>()).put(endpoint.address(), lease);
    return before == null || !before.sameAs(lease);
  }

  /** The lease of {@code address} in {@code pool}, if it has one. */
  public synchronized Optional<SourcedEndpoint> lease(String pool, String address) {
    Map<String, SourcedEndpoint> inPool = leases.get(pool);
    return Optional.ofNullable(inPool == null ? null : inPool.get(address));
  }

  /** Removes {@code address} from {@code pool}; returns whether it was registered. */
  public synchronized boolean deregister(String pool, String address) {
    Map<String, SourcedEndpoint> inPool = leases.get(pool);
    return inPool != null && inPool.remove(address) != null;
  }

  /** Drops every endpoint whose lease has run out; returns whether any was dropped. */
  public synchronized boolean expire() {
    Instant now = clock.instant();
    boolean any = false;
    for (Map<String, SourcedEndpoint> inPool : leases.values()) {
      any |= inPool.values().removeIf(lease -> !lease.expires().isAfter(now));
    }
    return any;
  }

  /** The registered endpoints of each pool, as an immutable copy. */
  public synchronized Map<String, List<SourcedEndpoint>> snapshot() {
    Map<String, List<SourcedEndpoint>> out = new LinkedHashMap<>();
    leases.forEach(
        (pool, inPool) -> {
          if (!inPool.isEmpty()) {
            out.put(pool, List.copyOf(new ArrayList<>(inPool.values())));
          }
        });
    return Map.copyOf(out);
  }
}
