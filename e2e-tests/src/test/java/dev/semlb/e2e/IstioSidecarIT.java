package dev.semlb.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semlb.e2e.support.IstioStack;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * k8s/overlays/istio-sidecar-outbound as Istio installs it: Istio's discovery server generates a
 * client's sidecar configuration (node type sidecar, labels semlb.dev/classify=true) with the
 * sidecar EnvoyFilter and the mesh VirtualService, and a real Envoy runs it. Without iptables, a
 * Sidecar resource binds the outbound listener of port 9001 to the client's address instead of
 * capturing traffic ({@code IstioObjects}). The checks are {@link IstioInstallTests}'.
 */
class IstioSidecarIT extends IstioInstallTests {

  private static IstioStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = IstioStack.start(IstioStack.Role.SIDECAR, Path.of("target/it/istio-sidecar"));
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
    return listener.path("address").path("socket_address").path("port_value").asInt() == 9001;
  }
}
