package dev.semlb.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.classifier.cost.CostStats;
import dev.semlb.config.Flags;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostSeedTest {

  /** The access log the real Envoy 1.40.0 wrote (classifier's fixture, see its README). */
  static final Path ENVOY_LOG =
      Path.of(
          "../classifier/src/test/resources/dev/semlb/classifier/cost/envoy-1.40.0-access.jsonl");

  @Test
  void costSeedFlag_namesTheLog_andDefaultsToNone() {
    ServiceConfig none =
        ServiceConfig.fromFlags(
            Flags.parse(new String[] {"--routing", "../config/routing.yaml"}, Map.of()));
    assertThat(none.costSeed()).isNull();
    ServiceConfig seeded =
        ServiceConfig.fromFlags(
            Flags.parse(
                new String[] {"--routing", "../config/routing.yaml"},
                Map.of("SEMLB_COST_SEED", ENVOY_LOG.toString())));
    assertThat(seeded.costSeed()).isEqualTo(ENVOY_LOG);
    assertThat(seeded.withPoolsFile(null).costSeed()).isEqualTo(ENVOY_LOG);
    assertThatThrownBy(
            () ->
                ServiceConfig.fromFlags(
                    Flags.parse(
                        new String[] {"--routing", "../config/routing.yaml", "--cost-seed", "nope"},
                        Map.of())))
        .hasMessageContaining("cost-seed");
  }

  @Test
  void seed_preloadsTheCostTable_fromEnvoysLog() throws Exception {
    CostStats costs = new CostStats();

    ExtProcServer.seed(costs, ENVOY_LOG);

    assertThat(costs.totals().recorded()).isEqualTo(80);
    assertThat(costs.snapshot("GET /v1/reports/{id}").orElseThrow().count()).isEqualTo(25);
    assertThat(costs.snapshot("POST /v1/orders").orElseThrow().count()).isEqualTo(25);
  }
}
