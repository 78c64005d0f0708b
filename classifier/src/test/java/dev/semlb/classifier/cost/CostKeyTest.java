package dev.semlb.classifier.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.PoolSpec;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.classifier.view.ViewLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostKeyTest {

  private static final Pipeline PIPELINE =
      Pipeline.build(
          new RoutingConfig(
              "general", List.of(new PoolSpec("general", "all")), List.of(), ViewLimits.DEFAULTS));

  private static RequestView view(String method, String target, String type, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return PIPELINE.view(
        method,
        target,
        type == null ? Map.of() : Map.of("content-type", type),
        bytes,
        bytes.length);
  }

  @Test
  void idsFold_soRecordsOfOneCollectionShareAKey() {
    assertThat(CostKey.of(view("GET", "/v1/users/42?expand=1", null, "")))
        .isEqualTo(CostKey.of(view("get", "/v1/users/7", null, "")))
        .isEqualTo("GET /v1/users/{id}");
    assertThat(CostKey.of(view("DELETE", "/orders/3f2b9c1e-0a4d-4e55-9a51-5b1f0c2d3e4f", null, "")))
        .isEqualTo("DELETE /orders/{id}");
  }

  @Test
  void methodAndOperation_separateShapesOnOnePath() {
    assertThat(CostKey.of(view("POST", "/v1/users", null, ""))).isEqualTo("POST /v1/users");
    String graphql =
        "{\"operationName\":\"SearchRepos\",\"query\":\"query SearchRepos { search { id } }\"}";
    assertThat(CostKey.of(view("POST", "/graphql", "application/json", graphql)))
        .isEqualTo("POST /graphql #SearchRepos");
    String named =
        "{\"query\":\"#graphql\\n fragment F on User { id }\\n query CustomerDetails($l: String)"
            + " { customer { ...F } }\"}";
    assertThat(CostKey.of(view("POST", "/graphql", "application/json", named)))
        .isEqualTo("POST /graphql #CustomerDetails");
    assertThat(
            CostKey.of(
                view(
                    "POST",
                    "/graphql",
                    "application/json",
                    "{\"query\":\"{ me: viewer { login } }\"}")))
        .isEqualTo("POST /graphql #viewer");
    String rpc = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getLogs\",\"params\":[],\"id\":1}";
    assertThat(CostKey.of(view("POST", "/rpc", "application/json", rpc)))
        .isEqualTo("POST /rpc #eth_getLogs");
    assertThat(CostKey.of(view("POST", "/rpc", "application/json", "{\"method\":\"x\"}")))
        .as("a plain JSON field named method is not an operation")
        .isEqualTo("POST /rpc");
  }

  @Test
  void keysArePrintableAsciiAndBounded() {
    String key = CostKey.of(view("GET", "/caf\u00e9/" + "segment/".repeat(100), null, ""));
    assertThat(key).hasSizeLessThanOrEqualTo(CostKey.MAX_CHARS).matches("[\\x20-\\x7e]+");
    assertThat(key).startsWith("GET /caf_/segment");
  }

  @Test
  void theViewCarriesItsKey_computedOnceFromItsOwnFields() {
    String rpc = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getLogs\",\"params\":[],\"id\":1}";
    RequestView built = view("post", "/rpc/42?x=1", "application/json", rpc);
    // The stream's header, the measured stage and the admin API all read this one value.
    assertThat(built.costKey()).isEqualTo("POST /rpc/{id} #eth_getLogs");
    assertThat(CostKey.of(built)).isSameAs(built.costKey());
    assertThat(CostKey.of("POST", "/rpc/42", null, built.body())).isEqualTo(built.costKey());
    // A key passed in cannot disagree with the fields: it is computed again.
    RequestView forged =
        new RequestView(
            built.method(),
            built.path(),
            built.query(),
            built.contentType(),
            built.headers(),
            built.body(),
            "GET /cheap");
    assertThat(forged.costKey()).isEqualTo(built.costKey());
    assertThat(forged).isEqualTo(built);
  }
}
