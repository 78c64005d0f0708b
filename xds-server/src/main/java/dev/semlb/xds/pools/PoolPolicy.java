package dev.semlb.xds.pools;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The traffic policy of one pool, each field mapped onto an Envoy feature (cluster or route
 * setting); nothing here is re-implemented by semlb. Immutable.
 *
 * @param lbPolicy how traffic is spread over the endpoints. The default is round robin
 * @param hashHeader request header hashed by {@code ring_hash}/{@code maglev}; "" otherwise
 * @param connectTimeout upstream connect timeout. The default is 1s
 * @param requestTimeout whole-request timeout of the pool's route. The default is 30s
 * @param healthCheck active health checking, if any. The default is none
 * @param outlierDetection passive ejection of failing endpoints. The default is {@link
 *     OutlierDetection#DEFAULT}
 * @param circuitBreakers limits per pool. The default is Envoy's
 * @param retries retry policy of the pool's route. The default is {@link RetryPolicy#DEFAULT}
 * @param fallback pools whose endpoints take this pool's traffic, in order, when its own are
 *     unhealthy; null means "the default pool" (resolved by {@link PoolsConfig})
 * @param versionWeights traffic share per endpoint version label (blue/green); empty means every
 *     endpoint by its own weight
 * @param rateLimit the pool's request rate limit, enforced by Envoy. The default is none
 *     (unlimited)
 */
public record PoolPolicy(
    LbPolicy lbPolicy,
    String hashHeader,
    Duration connectTimeout,
    Duration requestTimeout,
    Optional<HealthCheck> healthCheck,
    OutlierDetection outlierDetection,
    CircuitBreakers circuitBreakers,
    RetryPolicy retries,
    List<String> fallback,
    Map<String, Integer> versionWeights,
    Optional<RateLimit> rateLimit) {

  /**
   * Round robin, default timeouts, outlier detection and retries, fallback to the default pool, no
   * rate limit.
   */
  public static final PoolPolicy DEFAULT =
      new PoolPolicy(
          LbPolicy.ROUND_ROBIN,
          "",
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Optional.empty(),
          OutlierDetection.DEFAULT,
          CircuitBreakers.DEFAULT,
          RetryPolicy.DEFAULT,
          null,
          Map.of(),
          Optional.empty());

  /** Validates the fields. */
  public PoolPolicy {
    Objects.requireNonNull(lbPolicy, "lbPolicy");
    Objects.requireNonNull(hashHeader, "hashHeader");
    Positive.check("connectTimeout", connectTimeout);
    Positive.check("requestTimeout", requestTimeout);
    Objects.requireNonNull(healthCheck, "healthCheck");
    Objects.requireNonNull(outlierDetection, "outlierDetection");
    Objects.requireNonNull(circuitBreakers, "circuitBreakers");
    Objects.requireNonNull(retries, "retries");
    fallback = fallback == null ? null : List.copyOf(fallback);
    versionWeights = checkWeights(versionWeights);
    Objects.requireNonNull(rateLimit, "rateLimit");
    if (lbPolicy.hashed() && !hashHeader.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException(
          "hashHeader: '"
              + hashHeader
              + "' (expected: a lower-case header name for "
              + lbPolicy.configName()
              + ")");
    }
  }

  /**
   * Checks and copies version weights: version labels as in {@link PoolEndpoint#version}, weights
   * 0..100 with at least one above 0. Returns a sorted, unmodifiable copy.
   */
  public static Map<String, Integer> checkWeights(Map<String, Integer> weights) {
    Objects.requireNonNull(weights, "versionWeights");
    if (!weights.isEmpty() && weights.values().stream().allMatch(w -> w != null && w == 0)) {
      throw new IllegalArgumentException(
          "versionWeights: " + weights + " (expected: at least one weight above 0)");
    }
    Map<String, Integer> copy = new TreeMap<>();
    weights.forEach(
        (version, weight) -> {
          PoolEndpoint.checkVersion(version);
          if (weight == null || weight < 0 || weight > 100) {
            throw new IllegalArgumentException(
                "versionWeights." + version + ": " + weight + " (expected: 0..100)");
          }
          copy.put(version, weight);
        });
    return java.util.Collections.unmodifiableMap(copy);
  }

  /** This policy with other version weights. */
  public PoolPolicy withVersionWeights(Map<String, Integer> weights) {
    return new PoolPolicy(
        lbPolicy,
        hashHeader,
        connectTimeout,
        requestTimeout,
        healthCheck,
        outlierDetection,
        circuitBreakers,
        retries,
        fallback,
        weights,
        rateLimit);
  }

  /** This policy with its fallback pools resolved. */
  public PoolPolicy withFallback(List<String> pools) {
    return new PoolPolicy(
        lbPolicy,
        hashHeader,
        connectTimeout,
        requestTimeout,
        healthCheck,
        outlierDetection,
        circuitBreakers,
        retries,
        pools,
        versionWeights,
        rateLimit);
  }

  /** This policy with another rate limit (empty: unlimited). */
  public PoolPolicy withRateLimit(Optional<RateLimit> limit) {
    return new PoolPolicy(
        lbPolicy,
        hashHeader,
        connectTimeout,
        requestTimeout,
        healthCheck,
        outlierDetection,
        circuitBreakers,
        retries,
        fallback,
        versionWeights,
        limit);
  }
}
