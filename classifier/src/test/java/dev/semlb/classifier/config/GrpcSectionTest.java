package dev.semlb.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.cost.CostKey;
import dev.semlb.classifier.envoyroute.NativeRoutePlan;
import dev.semlb.classifier.view.GrpcFrame;
import dev.semlb.classifier.view.GrpcSchema;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code grpc} section, gRPC rule conditions, their checks against the descriptor set. */
class GrpcSectionTest {

  private static final Path ROOT = Path.of(System.getProperty("semlb.repoRoot", ".."));
  private static final Path EXAMPLES = ROOT.resolve("config/examples");
  private static final String HEAD =
      """
      defaultPool: general
      embedding: { enabled: false }
      pools:
        - name: general
        - name: high-compute
        - name: fast-path
      """;

  @TempDir Path dir;

  private RoutingConfig load(String yaml) throws Exception {
    Files.copy(
        EXAMPLES.resolve("grpc-demo.pb"),
        dir.resolve("grpc-demo.pb"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path file = dir.resolve("r.yaml");
    Files.writeString(file, HEAD + yaml);
    return RoutingConfigLoader.load(file);
  }

  private static final String WITH_SET = "grpc: { descriptorSet: grpc-demo.pb }\n";

  private static String rule(String match) {
    return "rules:\n  - name: r\n    pool: fast-path\n    match:\n" + match.indent(6);
  }

  @Test
  void example_loads_andItsRulesRouteByMethodAndField() throws Exception {
    RoutingConfig config = RoutingConfigLoader.load(EXAMPLES.resolve("grpc-routing.yaml"));
    Pipeline pipeline = Pipeline.build(config);
    GrpcSchema schema = config.grpc();
    assertThat(schema.serviceNames())
        .containsExactlyInAnyOrder("semlb.demo.v1.Orders", "semlb.demo.v1.Search");

    assertThat(pool(pipeline, "/semlb.demo.v1.Orders/Create", "customer { tier: GOLD }"))
        .isEqualTo("high-compute");
    assertThat(pool(pipeline, "/semlb.demo.v1.Orders/Create", "customer { tier: STANDARD }"))
        .isEqualTo("general");
    assertThat(pool(pipeline, "/semlb.demo.v1.Search/Query", "query: 'lamps'"))
        .isEqualTo("fast-path");
    assertThat(pool(pipeline, "/semlb.demo.v1.Search/Watch", null)).isEqualTo("fast-path");
    // The same path over JSON is no gRPC call: the gRPC rules never match it.
    byte[] json = "{\"customer\":{\"tier\":\"GOLD\"}}".getBytes(StandardCharsets.UTF_8);
    RequestView http =
        pipeline.view(
            "POST",
            "/semlb.demo.v1.Orders/Create",
            Map.of("content-type", "application/json"),
            json,
            json.length);
    assertThat(pipeline.classifier().classify(http).pool()).isEqualTo("general");
    // Rules with a gRPC test are decided by ext-proc-service, never compiled into Envoy routes.
    NativeRoutePlan plan = NativeRoutePlan.of(config.rules());
    assertThat(plan.rule("search")).isEmpty();
    assertThat(plan.rule("gold-orders")).isEmpty();
  }

  private static String pool(Pipeline pipeline, String path, String text) throws Exception {
    byte[] body =
        text == null
            ? new byte[0]
            : GrpcFrame.frame(
                dev.semlb.classifier.view.GrpcBodyTest.message(
                    pipeline.config().grpc(), path, text));
    RequestView view =
        pipeline.view("POST", path, Map.of("content-type", "application/grpc"), body, body.length);
    Decision decision = pipeline.classifier().classify(view);
    return decision.pool();
  }

  @Test
  void costKey_isTheMethodAsCalled() throws Exception {
    Pipeline pipeline = Pipeline.build(load(WITH_SET));
    RequestView view =
        pipeline.view(
            "POST",
            "/semlb.demo.v1.Orders/Get2024",
            Map.of("content-type", "application/grpc"),
            new byte[0],
            0);
    assertThat(CostKey.of(view)).isEqualTo("POST /semlb.demo.v1.Orders/Get2024");
  }

  @Test
  void grpcTest_withoutDescriptorSet_matchesByNameOrTest() throws Exception {
    RoutingConfig config =
        load(
            rule("grpc: { service: { prefix: semlb.demo. }, method: { regex: '^(Get|Query)$' } }"));
    Pipeline pipeline = Pipeline.build(config);
    assertThat(config.grpc().enabled()).isFalse();
    assertThat(pool(pipeline, "/semlb.demo.v1.Orders/Get", null)).isEqualTo("fast-path");
    assertThat(pool(pipeline, "/semlb.demo.v1.Orders/Create", null)).isEqualTo("general");
    assertThat(pool(pipeline, "/other.v1.Orders/Get", null)).isEqualTo("general");
  }

  @Test
  void missingOrInvalidDescriptorSet_isRefused() throws Exception {
    assertThatThrownBy(() -> load("grpc: { descriptorSet: nope.pb }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("grpc.descriptorSet: 'nope.pb'")
        .hasMessageContaining("does not exist");
    Files.writeString(dir.resolve("bad.pb"), "not a descriptor set \u0000\u0001");
    assertThatThrownBy(() -> load("grpc: { descriptorSet: bad.pb }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("grpc.descriptorSet: 'bad.pb'")
        .hasMessageContaining("FileDescriptorSet");
    assertThatThrownBy(() -> load("grpc: { descriptorSet: grpc-demo.pb, x: 1 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("grpc.x");
  }

  @Test
  void unknownServiceOrMethod_isRefused_whenTheSetIsConfigured() throws Exception {
    assertThatThrownBy(() -> load(WITH_SET + rule("grpc: { service: semlb.demo.v1.Order }")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules[0].match.grpc.service: 'semlb.demo.v1.Order'")
        .hasMessageContaining("[semlb.demo.v1.Orders, semlb.demo.v1.Search]");
    assertThatThrownBy(
            () -> load(WITH_SET + rule("grpc: { service: semlb.demo.v1.Orders, method: Delete }")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules[0].match.grpc.method: 'Delete'")
        .hasMessageContaining("[Create, Get, Import]");
  }

  @Test
  void badFieldPaths_areRefused_withTheFieldsThereAre() throws Exception {
    String grpc = "grpc: { service: semlb.demo.v1.Orders, method: Create }\n";
    assertThatThrownBy(
            () -> load(WITH_SET + rule(grpc + "json:\n  - field: customer.tierr\n    exact: GOLD")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("field: 'customer.tierr'")
        .hasMessageContaining("a field of semlb.demo.v1.Customer: [id, name, tier]");
    assertThatThrownBy(
            () -> load(WITH_SET + rule(grpc + "json:\n  - field: note.x\n    present: true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ends at a scalar field");
    assertThatThrownBy(
            () -> load(WITH_SET + rule(grpc + "json:\n  - field: items.sku\n    exact: lamp")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("an element of repeated field 'items'");
    RoutingConfig ok =
        load(
            WITH_SET
                + rule(
                    grpc
                        + "json:\n  - field: items.*.sku\n    exact: lamp\n"
                        + "  - field: labels.channel\n    exact: web"));
    assertThat(ok.rules()).hasSize(1);
  }

  @Test
  void jsonTestsOnGrpcRules_needTheDescriptorSet() {
    assertThatThrownBy(
            () ->
                load(
                    rule(
                        "grpc: { service: semlb.demo.v1.Orders }\n"
                            + "json:\n  - field: customer.tier\n    exact: GOLD")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules[0].match")
        .hasMessageContaining("only with grpc.descriptorSet");
  }
}
