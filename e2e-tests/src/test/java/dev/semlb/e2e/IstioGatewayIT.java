package dev.semlb.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semlb.e2e.support.IstioStack;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * k8s/istio as Istio installs it: Istio's discovery server generates the ingress gateway's
 * configuration from the Gateway, VirtualService, DestinationRule and the EnvoyFilter, and a real
 * Envoy runs it as the gateway (node type router, labels istio=ingressgateway). The checks are
 * {@link IstioInstallTests}'.
 */
class IstioGatewayIT extends IstioInstallTests {

  private static IstioStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = IstioStack.start(IstioStack.Role.GATEWAY, Path.of("target/it/istio-gateway"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Override
  IstioStack stack() {
    return stack;
  }

  @Override
  boolean patched(JsonNode listener) {
    return true;
  }
}
