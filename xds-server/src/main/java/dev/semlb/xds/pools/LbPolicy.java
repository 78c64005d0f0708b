package dev.semlb.xds.pools;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How Envoy spreads a pool's traffic over its endpoints (mapped onto Envoy's own policies). */
public enum LbPolicy {
  /** Weighted round robin. */
  ROUND_ROBIN,
  /** Fewest active requests among two random choices (weight-aware). */
  LEAST_REQUEST,
  /** Uniformly random (weight-aware). */
  RANDOM,
  /** Consistent hashing on a request header (session affinity); needs {@code hashHeader}. */
  RING_HASH,
  /** Maglev consistent hashing on a request header; needs {@code hashHeader}. */
  MAGLEV;

  /** The name used in {@code pools.yaml}, e.g. {@code least_request}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether requests are placed by a hash of {@code hashHeader}. */
  public boolean hashed() {
    return this == RING_HASH || this == MAGLEV;
  }

  /** Parses a config name. */
  public static Optional<LbPolicy> fromConfig(String name) {
    return Arrays.stream(values()).filter(p -> p.configName().equals(name)).findFirst();
  }

  /** The config names, for error messages. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(LbPolicy::configName).toList());
  }
}
