package dev.semlb.classifier.signals;

import static dev.semlb.classifier.signals.SignalFixtures.get;
import static dev.semlb.classifier.signals.SignalFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.signals.Operation.Kind;
import org.junit.jupiter.api.Test;

/** The operation an RPC-style request names, wherever it names it. */
class OperationTest {

  private static Kind kind(String method, String target, String body) {
    var view = request(method, target, body.isEmpty() ? "" : "application/json", body);
    return Operation.of(view.path(), view.query(), view.body().json());
  }

  @Test
  void jsonRpcMethods_areReadByTheirVerb_afterANamespace() {
    assertThat(kind("POST", "/", "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBalance\",\"id\":1}"))
        .isEqualTo(Kind.READ);
    assertThat(kind("POST", "/rpc", "{\"jsonrpc\":\"2.0\",\"method\":\"session.exists\"}"))
        .isEqualTo(Kind.READ);
    assertThat(kind("POST", "/rpc", "{\"method\":\"flags.isEnabled\",\"params\":{}}"))
        .isEqualTo(Kind.READ);
    assertThat(kind("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"method\":\"tools/list\"}"))
        .isEqualTo(Kind.LIST);
    assertThat(kind("POST", "/", "{\"jsonrpc\":\"2.0\",\"method\":\"eth_sendRawTransaction\"}"))
        .isEqualTo(Kind.WRITE);
    // A name without a verb is an operation of no known kind.
    assertThat(kind("POST", "/", "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\"}"))
        .isEqualTo(Kind.OTHER);
  }

  @Test
  void pathsNameOperations_inTheirRpcShapes() {
    assertThat(kind("POST", "/twirp/billing.Subscriptions/ChangePlan", "{}")).isEqualTo(Kind.WRITE);
    assertThat(kind("POST", "/config.v1.ConfigService/GetSetting", "{}")).isEqualTo(Kind.READ);
    assertThat(kind("GET", "/api/conversations.info?channel=C1234567890", "")).isEqualTo(Kind.READ);
    assertThat(kind("POST", "/api/chat.postMessage", "{}")).isEqualTo(Kind.WRITE);
    assertThat(kind("GET", "/services/rest?method=flickr.photos.getInfo&photo_id=1", ""))
        .isEqualTo(Kind.READ);
    assertThat(kind("POST", "/v1/flags:evaluate", "{}")).isEqualTo(Kind.OTHER);
    assertThat(kind("POST", "/bot/getMe", "")).isEqualTo(Kind.READ);
    assertThat(kind("POST", "/2/files/get_metadata", "{}")).isEqualTo(Kind.READ);
  }

  @Test
  void restPathsAndFiles_nameNoOperation() {
    assertThat(kind("GET", "/api/v1/users/42", "")).isEqualTo(Kind.NONE);
    assertThat(kind("POST", "/api/v1/orders", "{\"sku\":\"a-1\"}")).isEqualTo(Kind.NONE);
    assertThat(kind("GET", "/api/v1/accounts/statements.pdf?year=2023", "")).isEqualTo(Kind.NONE);
    assertThat(kind("GET", "/v1.41/containers/json", "")).isEqualTo(Kind.NONE);
    // A noun last names a resource, whatever the method does to it.
    assertThat(kind("PUT", "/_cluster/settings", "{\"transient\":{}}")).isEqualTo(Kind.NONE);
    assertThat(kind("GET", "/_cluster/health", "")).isEqualTo(Kind.NONE);
    assertThat(kind("GET", "/api/users/me", "")).isEqualTo(Kind.NONE);
    // A verb last names an action.
    assertThat(kind("POST", "/test_index/_open", "")).isEqualTo(Kind.WRITE);
    // A body field that is not an identifier (free text) names nothing.
    assertThat(kind("POST", "/api/v1/notes", "{\"action\":\"call the client back\"}"))
        .isEqualTo(Kind.NONE);
  }

  @Test
  void longNames_areReadOnlyUpToTheBound() {
    String longName = "get" + "X".repeat(10_000);
    assertThat(kind("POST", "/rpc", "{\"method\":\"" + longName + "\"}")).isEqualTo(Kind.NONE);
    assertThat(Operation.kind(longName)).isEqualTo(Kind.READ);
  }

  @Test
  void theSignalsCarryTheKind() {
    double[] v =
        RequestSignals.of(
            request(
                "POST",
                "/rpc",
                "application/json",
                "{\"jsonrpc\":\"2.0\",\"method\":\"getUserById\",\"params\":{\"id\":4412}}"));
    assertThat(get(v, Signal.RPC_CALL)).isEqualTo(1);
    assertThat(get(v, Signal.RPC_READ)).isEqualTo(1);
    assertThat(get(v, Signal.RPC_WRITE)).isZero();
    assertThat(get(RequestSignals.of(request("GET", "/api/users/42", "", "")), Signal.RPC_CALL))
        .isZero();
  }
}
