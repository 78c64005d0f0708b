package dev.semlb.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireContractTest {

  private static final List<String> ENVOY_BOOTSTRAPS =
      List.of("envoy/envoy.yaml", "deploy/compose/envoy.yaml", "k8s/envoy/envoy.yaml");

  @Test
  void everyEnvoyBootstrap_stripsThePoolHeader_andAsksForTheRouteConfig() throws Exception {
    for (String name : ENVOY_BOOTSTRAPS) {
      String yaml = Files.readString(Path.of("..").resolve(name));
      assertThat(yaml)
          .as(name)
          .contains("remove: " + WireContract.POOL_HEADER)
          .contains("remove: " + WireContract.COST_KEY_HEADER)
          .contains("log_name: " + WireContract.FEEDBACK_LOG_NAME)
          .contains(
              "additional_request_headers_to_log: ["
                  + WireContract.POOL_HEADER
                  + ", "
                  + WireContract.COST_KEY_HEADER
                  + "]")
          .contains(
              "additional_response_headers_to_log: ["
                  + WireContract.SERVER_TIMING_HEADER
                  + ", "
                  + WireContract.GRPC_STATUS
                  + "]")
          .contains("additional_response_trailers_to_log: [" + WireContract.GRPC_STATUS + "]")
          .contains("route_config_name: " + WireContract.ROUTE_CONFIG_NAME)
          .contains("- name: " + WireContract.RATE_LIMIT_FILTER_NAME)
          .contains(WireContract.CLUSTER_PREFIX + "<pool>");
    }
  }

  @Test
  void headerNames_areLowerCase() {
    assertThat(
            List.of(
                WireContract.POOL_HEADER,
                WireContract.DECISION_HEADER,
                WireContract.COST_KEY_HEADER,
                WireContract.SERVER_TIMING_HEADER,
                WireContract.GRPC_STATUS,
                WireContract.SERVED_BY_POOL_HEADER,
                WireContract.SERVED_BY_WORKER_HEADER))
        .allSatisfy(h -> assertThat(h).isLowerCase());
  }
}
