package dev.semlb.xds.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The pools files of the deployments (docker compose, Kubernetes) load, and keep the pools and
 * policies of config/pools.yaml: only where the endpoints come from differs.
 */
class DeployPoolsFilesTest {

  private static final Path ROOT = Path.of(System.getProperty("semlb.repoRoot", ".."));

  @Test
  void composePools_keepTheShippedPolicies_andUseComposeServiceNames() throws Exception {
    PoolsConfig compose = load("deploy/compose/pools.yaml");

    assertSamePoolsAndPolicies(compose, load("config/pools.yaml"));
    for (Pool pool : compose.pools()) {
      assertThat(pool.endpoints())
          .as(pool.name())
          .containsExactly(new PoolEndpoint("worker-" + pool.name(), 9001, 1, ""));
      assertThat(pool.kubernetes()).as(pool.name()).isEmpty();
    }
  }

  @Test
  void kubernetesPools_keepTheShippedPolicies_andReadEachWorkerService() throws Exception {
    PoolsConfig k8s = load("k8s/xds-server/pools.yaml");

    assertSamePoolsAndPolicies(k8s, load("config/pools.yaml"));
    for (Pool pool : k8s.pools()) {
      assertThat(pool.endpoints()).as(pool.name()).isEmpty();
      assertThat(pool.kubernetes())
          .as(pool.name())
          .containsExactly(new ServiceRef("worker-" + pool.name(), "http", ""));
    }
  }

  private static PoolsConfig load(String file) throws Exception {
    return PoolsConfigLoader.load(ROOT.resolve(file));
  }

  private static void assertSamePoolsAndPolicies(PoolsConfig actual, PoolsConfig expected) {
    List<Tuple> expectedPools =
        expected.pools().stream().map(p -> tuple(p.name(), p.policy())).toList();
    assertThat(actual.defaultPool()).isEqualTo(expected.defaultPool());
    assertThat(actual.pools())
        .extracting(Pool::name, Pool::policy)
        .containsExactlyElementsOf(expectedPools);
  }
}
