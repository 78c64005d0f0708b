package dev.semlb.xds.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolsConfigLoaderTest {

  @Test
  void parse_readsShortAndLongEndpointForms() throws Exception {
    PoolsConfig config =
        PoolsConfigLoader.parse(
            "pools.yaml",
            """
        pools:
          - name: general
            lbPolicy: least_request
            connectTimeoutMs: 300
            endpoints:
              - 10.0.0.1:9001
              - { address: "[::1]:9002", weight: 3 }
          - name: fast-path
        """);

    Pool general = config.pools().get(0);
    assertThat(general.policy().lbPolicy()).isEqualTo(LbPolicy.LEAST_REQUEST);
    assertThat(general.policy().connectTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(general.endpoints())
        .containsExactly(
            new PoolEndpoint("10.0.0.1", 9001, 1, ""), new PoolEndpoint("::1", 9002, 3, ""));
    assertThat(general.clusterName()).isEqualTo("semlb-pool-general");
    assertThat(config.pools().get(1).endpoints()).isEmpty();
  }

  @Test
  void parse_acceptsModels_andRefusesWhatExtProcServiceWould() throws Exception {
    PoolsConfig config =
        PoolsConfigLoader.parse(
            "pools.yaml",
            """
        models: { aliases: [auto], unknownModel: default }
        pools: [{ name: code, model: demo-code-7b }, { name: general }]
        """);
    assertThat(config.poolNames()).containsExactly("code", "general");

    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: a, model: m }, { name: b, model: m }]
        """))
        .hasMessage(
            "pools.yaml: pools[1].model: 'm' (expected: a model no other pool names (pool 'a' does))");
  }

  @Test
  void errors_nameFilePathValueAndExpectation() {
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: general, endpoints: ["10.0.0.1"] }]
        """))
        .hasMessage(
            "pools.yaml: pools[0].endpoints[0]: '10.0.0.1' (expected: host:port with a port in 1..65535)");
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: general, lbPolicy: fastest }]
        """))
        .hasMessage(
            "pools.yaml: pools[0].lbPolicy: 'fastest' (expected: one of round_robin, least_request, random, ring_hash, maglev)");
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: general, endpoints: [{ address: "a:1", weight: 0 }] }]
        """))
        .hasMessage(
            "pools.yaml: pools[0].endpoints[0].weight: 0 (expected: an integer in [1, 128])");
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: general, endpoints: ["a:1", "a:1"] }]
        """))
        .hasMessage(
            "pools.yaml: pools[0].endpoints[1]: 'a:1' (expected: an endpoint not listed before in this pool)");
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: general }, { name: general }]
        """))
        .hasMessage("pools.yaml: pools[1].name: 'general' (expected: a pool name not used before)");
    assertThatThrownBy(() -> PoolsConfigLoader.parse("pools.yaml", "pools: []\n"))
        .hasMessage("pools.yaml: pools: a list (expected: at least one pool)");
  }

  @Test
  void policies_areReadWithDefaults_andFallbackDefaultsToTheDefaultPool() throws Exception {
    PoolsConfig config =
        PoolsConfigLoader.parse(
            "pools.yaml",
            """
        pools:
          - name: sticky
            lbPolicy: maglev
            hashHeader: x-user
            requestTimeoutMs: 5000
            healthCheck: { path: /ready, intervalMs: 500, unhealthyThreshold: 3 }
            outlierDetection: { consecutiveLocalFailures: 1 }
            circuitBreakers: { maxRequests: 64 }
            retries: { attempts: 1, perTryTimeoutMs: 250 }
            versionWeights: { blue: 90, green: 10 }
            endpoints: [{ address: 10.0.0.1:1, version: blue }]
          - { name: grpc, healthCheck: { grpc: true }, fallback: [], kubernetes: worker-grpc }
          - name: k8s
            kubernetes: [{ service: worker-blue, port: http, version: blue }, { service: worker-green, port: "8080", version: green }]
          - { name: general }
        """);

    PoolPolicy sticky = config.pool("sticky").orElseThrow().policy();
    assertThat(config.defaultPool()).isEqualTo("general");
    assertThat(sticky.lbPolicy()).isEqualTo(LbPolicy.MAGLEV);
    assertThat(sticky.hashHeader()).isEqualTo("x-user");
    assertThat(sticky.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(sticky.healthCheck().orElseThrow().path()).isEqualTo("/ready");
    assertThat(sticky.healthCheck().orElseThrow().unhealthyThreshold()).isEqualTo(3);
    assertThat(sticky.outlierDetection().consecutiveLocalFailures()).isEqualTo(1);
    assertThat(sticky.outlierDetection().maxEjectionPercent()).isEqualTo(100);
    assertThat(sticky.circuitBreakers().maxRequests()).isEqualTo(64);
    assertThat(sticky.retries()).isEqualTo(new RetryPolicy(1, Duration.ofMillis(250)));
    assertThat(sticky.versionWeights()).containsEntry("blue", 90).containsEntry("green", 10);
    assertThat(sticky.fallback()).containsExactly("general");
    assertThat(config.pool("grpc").orElseThrow().policy().healthCheck().orElseThrow().grpc())
        .isTrue();
    assertThat(config.pool("grpc").orElseThrow().policy().fallback()).isEmpty();
    assertThat(config.pool("general").orElseThrow().policy().fallback()).isEmpty();
    assertThat(config.pool("general").orElseThrow().policy().retries())
        .isEqualTo(RetryPolicy.DEFAULT);
    assertThat(config.pool("grpc").orElseThrow().kubernetes())
        .containsExactly(new ServiceRef("worker-grpc", "", ""));
    assertThat(config.pool("k8s").orElseThrow().kubernetes())
        .containsExactly(
            new ServiceRef("worker-blue", "http", "blue"),
            new ServiceRef("worker-green", "8080", "green"));
  }

  @Test
  void policyErrors_nameWhatWasExpected() {
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: a, lbPolicy: ring_hash }, { name: general }]
        """))
        .hasMessageContaining("pools[0]")
        .hasMessageContaining("hashHeader: a lower-case header name");
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: a, fallback: [nowhere] }, { name: general }]
        """))
        .hasMessageContaining(
            "pools.a.fallback: 'nowhere' (expected: another pool, one of [a, general])");
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: a, fallback: [a] }]
        """))
        .hasMessageContaining("pools.a.fallback: 'a'");
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        defaultPool: b
        pools: [{ name: a }]
        """))
        .hasMessage("pools.yaml: defaultPool: 'b' (expected: one of the pools [a])");
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: a, versionWeights: { blue: 120 } }]
        """))
        .hasMessage(
            "pools.yaml: pools[0].versionWeights.blue: 120 (expected: an integer in [0, 100])");
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: a, healthCheck: { path: /h, grpc: true } }]
        """))
        .hasMessageContaining("either path (HTTP check) or grpc: true");
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: a, endpoints: [{ address: "h:1", version: "not ok" }] }]
        """))
        .hasMessage(
            "pools.yaml: pools[0].endpoints[0].version: 'not ok' (expected: at most 63 letters, digits, '.', '_' or '-')");
  }

  @Test
  void shippedPoolsFile_isValid_andCoversTheDefaultPools() throws Exception {
    Path file = Path.of(System.getProperty("semlb.repoRoot", "..")).resolve("config/pools.yaml");

    assertThat(PoolsConfigLoader.load(file).pools())
        .extracting(Pool::name)
        .containsExactlyInAnyOrder("general", "high-compute", "fast-path");
  }

  @Test
  void regression_weightOf2To64Plus1_loadedAsWeight1() {
    // The integer wrapped around to 1 and passed the 1..128 check.
    assertThatThrownBy(
            () ->
                PoolsConfigLoader.parse(
                    "pools.yaml",
                    """
        pools: [{ name: general, endpoints: [{ address: "a:1", weight: 18446744073709551617 }] }]
        """))
        .hasMessage(
            "pools.yaml: pools[0].endpoints[0].weight: 18446744073709551617 (expected: an integer in [1, 128])");
  }
}
