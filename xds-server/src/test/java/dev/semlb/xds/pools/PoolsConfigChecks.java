package dev.semlb.xds.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.config.LoaderContract;
import dev.semlb.config.PoolName;
import dev.semlb.xds.snapshot.PoolResources;
import dev.semlb.xds.snapshot.ServedPools;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The loader's contract, checked on any bytes by the property tests and the fuzz test alike:
 * ({@link LoaderContract}) a file either loads into a config that can be served to Envoy, or fails
 * with a {@link ConfigException} whose message starts with the file name. Any other exception or
 * error propagates and fails the caller.
 */
final class PoolsConfigChecks {

  private static final LoaderContract<PoolsConfig> CONTRACT =
      new LoaderContract<>("pools.yaml", PoolsConfigLoader::load);

  private PoolsConfigChecks() {}

  /** Writes {@code yaml} to a file, loads it and checks the outcome; null when it was rejected. */
  static PoolsConfig loadOrReject(byte[] yaml) {
    PoolsConfig config = CONTRACT.loadOrReject(yaml);
    if (config != null) {
      checkServable(config);
    }
    return config;
  }

  /**
   * Sound pools, resolved fallbacks, and Envoy resources that build (with a resolver that echoes
   * hosts).
   */
  static void checkServable(PoolsConfig config) {
    assertThat(config.pools()).isNotEmpty();
    assertThat(config.poolNames())
        .doesNotHaveDuplicates()
        .allMatch(PoolName::isValid)
        .contains(config.defaultPool());
    for (Pool pool : config.pools()) {
      List<String> fallback = pool.policy().fallback();
      assertThat(fallback)
          .as("resolved fallback of %s", pool.name())
          .isNotNull()
          .doesNotHaveDuplicates()
          .doesNotContain(pool.name());
      assertThat(config.poolNames()).containsAll(fallback);
      HashSet<String> addresses = new HashSet<>();
      for (PoolEndpoint endpoint : pool.endpoints()) {
        assertThat(addresses.add(endpoint.address()))
            .as("endpoint %s listed once", endpoint)
            .isTrue();
        assertThat(endpoint.port()).isBetween(1, 65535);
      }
    }
    PoolResources resources = PoolResources.build(ServedPools.merge(config, Map.of()), List::of);
    assertThat(resources.clusters()).hasSameSizeAs(config.pools());
    assertThat(resources.loadAssignments()).hasSameSizeAs(config.pools());
    assertThat(resources.routes().getVirtualHostsList()).isNotEmpty();
  }
}
