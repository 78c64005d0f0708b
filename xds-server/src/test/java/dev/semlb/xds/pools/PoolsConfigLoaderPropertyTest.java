package dev.semlb.xds.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.config.ConfigArbitraries;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever {@code pools.yaml} holds, the loader either returns a config that can be served or
 * throws a ConfigException naming the file ({@link PoolsConfigChecks}). Inputs are random edits of
 * the shipped file and of a document that uses every key, and random text.
 */
class PoolsConfigLoaderPropertyTest {

  private static final byte[] SHIPPED = ConfigArbitraries.repoFile("config/pools.yaml");
  private static final byte[] EVERY_KEY =
      """
      defaultPool: general
      pools:
        - name: general
          lbPolicy: round_robin
          connectTimeoutMs: 500
          requestTimeoutMs: 5000
          healthCheck: { path: /healthz, intervalMs: 1000, timeoutMs: 500, unhealthyThreshold: 2, healthyThreshold: 1 }
          outlierDetection: { consecutive5xx: 5, consecutiveLocalFailures: 2, intervalMs: 1000,
                              baseEjectionTimeMs: 5000, maxEjectionPercent: 100 }
          circuitBreakers: { maxConnections: 100, maxPendingRequests: 100, maxRequests: 256, maxRetries: 3 }
          retries: { attempts: 2, perTryTimeoutMs: 0 }
          endpoints:
            - 127.0.0.1:9001
            - { address: "[::1]:9001", weight: 3, version: blue }
            - { address: worker.local:9001, weight: 1, version: green }
          versionWeights: { blue: 90, green: 10 }
        - name: fast-path
          lbPolicy: ring_hash
          hashHeader: x-session-id
          healthCheck: { grpc: true, grpcService: health }
          fallback: [general]
          kubernetes: { service: worker-fast, port: http, version: blue }
        - name: high-compute
          lbPolicy: maglev
          hashHeader: x-user
          fallback: []
          kubernetes: [worker-heavy, { service: worker-heavy-green, port: "8080", version: green }]
      """
          .getBytes(StandardCharsets.UTF_8);

  @Property(tries = 400)
  void editedConfigs_loadValidOrAreRejectedNamingTheFile(@ForAll("editedConfigs") byte[] yaml) {
    PoolsConfigChecks.loadOrReject(yaml);
  }

  @Property(tries = 200)
  void randomText_isRejectedNamingTheFile(@ForAll("junk") byte[] yaml) {
    PoolsConfigChecks.loadOrReject(yaml);
  }

  @Property(tries = 5)
  void theSeedsThemselves_load(@ForAll("seeds") byte[] yaml) {
    assertThat(PoolsConfigChecks.loadOrReject(yaml)).isNotNull();
  }

  @Provide
  Arbitrary<byte[]> seeds() {
    return Arbitraries.of(SHIPPED, EVERY_KEY);
  }

  @Provide
  Arbitrary<byte[]> editedConfigs() {
    return ConfigArbitraries.edited(SHIPPED, EVERY_KEY);
  }

  @Provide
  Arbitrary<byte[]> junk() {
    return ConfigArbitraries.junk();
  }
}
