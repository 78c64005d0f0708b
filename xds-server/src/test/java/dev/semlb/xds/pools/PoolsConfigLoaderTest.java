package dev.semlb.xds.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolsConfigLoaderTest {

  @Test
  void parse_readsShortAndLongEndpointForms() throws Exception {
    PoolsConfig config = PoolsConfigLoader.parse("pools.yaml", """
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
    assertThat(general.lbPolicy()).isEqualTo(LbPolicy.LEAST_REQUEST);
    assertThat(general.connectTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(general.endpoints()).containsExactly(new PoolEndpoint("10.0.0.1", 9001, 1),
        new PoolEndpoint("::1", 9002, 3));
    assertThat(general.clusterName()).isEqualTo("semlb-pool-general");
    assertThat(config.pools().get(1).endpoints()).isEmpty();
  }

  @Test
  void errors_nameFilePathValueAndExpectation() {
    assertThatThrownBy(() -> PoolsConfigLoader.parse("pools.yaml", """
        pools: [{ name: general, endpoints: ["10.0.0.1"] }]
        """)).hasMessage("pools.yaml: pools[0].endpoints[0]: '10.0.0.1' (expected: host:port with a port in 1..65535)");
    assertThatThrownBy(() -> PoolsConfigLoader.parse("pools.yaml", """
        pools: [{ name: general, lbPolicy: fastest }]
        """)).hasMessage("pools.yaml: pools[0].lbPolicy: 'fastest' (expected: one of round_robin, least_request, random)");
    assertThatThrownBy(() -> PoolsConfigLoader.parse("pools.yaml", """
        pools: [{ name: general, endpoints: [{ address: "a:1", weight: 0 }] }]
        """)).hasMessage("pools.yaml: pools[0].endpoints[0].weight: 0 (expected: an integer in [1, 128])");
    assertThatThrownBy(() -> PoolsConfigLoader.parse("pools.yaml", """
        pools: [{ name: general, endpoints: ["a:1", "a:1"] }]
        """)).hasMessage("pools.yaml: pools[0].endpoints[1]: 'a:1' (expected: an endpoint not listed before in this pool)");
    assertThatThrownBy(() -> PoolsConfigLoader.parse("pools.yaml", """
        pools: [{ name: general }, { name: general }]
        """)).hasMessage("pools.yaml: pools[1].name: 'general' (expected: a pool name not used before)");
    assertThatThrownBy(() -> PoolsConfigLoader.parse("pools.yaml", "pools: []\n"))
        .hasMessage("pools.yaml: pools: a list (expected: at least one pool)");
  }

  @Test
  void shippedPoolsFile_isValid_andCoversTheDefaultPools() throws Exception {
    Path file = Path.of(System.getProperty("semlb.repoRoot", "..")).resolve("config/pools.yaml");

    assertThat(PoolsConfigLoader.load(file).pools()).extracting(Pool::name)
        .containsExactlyInAnyOrder("general", "high-compute", "fast-path");
  }
}
