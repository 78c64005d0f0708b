package dev.semlb.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * Envoy logs 1 in N of the requests native routes decide (a runtime_filter) and says N in a
   * custom tag; ext-proc-service counts each logged one N times, so the two must agree in every
   * bootstrap.
   */
  @Test
  void everyEnvoyBootstrap_samplesNativeRoutes_atTheWeightItTells() throws Exception {
    Pattern weight =
        Pattern.compile(
            "- tag: "
                + Pattern.quote(WireContract.NATIVE_ROUTE_WEIGHT_TAG)
                + "\\s+literal: \\{ value: \"(\\d+)\" }");
    Pattern sampled =
        Pattern.compile(
            "runtime_filter:\\s+runtime_key: \\S+\\s+"
                + "percent_sampled: \\{ numerator: (\\d+), denominator: (HUNDRED|TEN_THOUSAND|MILLION) }"
                + "\\s+use_independent_randomness: true");
    for (String name : ENVOY_BOOTSTRAPS) {
      String yaml = Files.readString(Path.of("..").resolve(name));
      Matcher w = weight.matcher(yaml);
      Matcher s = sampled.matcher(yaml);
      assertThat(w.find()).as(name + ": the weight tag").isTrue();
      assertThat(s.find()).as(name + ": the native-route sampling filter").isTrue();
      long denominator =
          switch (s.group(2)) {
            case "HUNDRED" -> 100;
            case "TEN_THOUSAND" -> 10_000;
            default -> 1_000_000;
          };
      long numerator = Long.parseLong(s.group(1));
      assertThat(numerator).as(name).isPositive();
      assertThat(denominator % numerator).as(name + ": 1 in an integer").isZero();
      assertThat(Long.parseLong(w.group(1))).as(name).isEqualTo(denominator / numerator);
      assertThat(w.find() || s.find()).as(name + ": one of each").isFalse();
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
