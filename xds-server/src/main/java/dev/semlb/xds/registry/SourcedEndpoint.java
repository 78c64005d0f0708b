package dev.semlb.xds.registry;

import dev.semlb.xds.pools.PoolEndpoint;
import java.time.Instant;
import java.util.Objects;

/**
 * An endpoint of a pool with where it came from and, for a lease, when it expires. Immutable.
 *
 * @param endpoint the endpoint
 * @param source where it came from
 * @param expires when its lease ends, or null when it has none (file endpoints)
 */
public record SourcedEndpoint(PoolEndpoint endpoint, EndpointSource source, Instant expires) {

  /** Checks the fields. */
  public SourcedEndpoint {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(source, "source");
  }

  /** Equal endpoint and source; the lease time is left out so renewals do not look like changes. */
  public boolean sameAs(SourcedEndpoint other) {
    return endpoint.equals(other.endpoint) && source == other.source;
  }
}
