package dev.semlb.e2e.support;

import java.io.IOException;
import java.nio.file.Files;

/**
 * The Envoy bootstrap istio-agent would write for an ingress gateway or a sidecar, reduced to what
 * the config Istio pushes needs: the node identity and metadata istiod reads (node id {@code
 * TYPE~IP~POD.NAMESPACE~NAMESPACE.svc.cluster.local}, labels, namespace, cluster, Istio version,
 * interception mode), the admin endpoint, and ADS on the xds-grpc cluster. Unlike istio-agent's,
 * the xds-grpc cluster goes straight to the discovery server over plaintext TCP (no agent, no SDS,
 * no certificates).
 */
final class IstioBootstrap {

  private IstioBootstrap() {}

  /** The bootstrap YAML for {@code role}. */
  static String render(IstioStack.Role role, int adminPort, int xdsPort) throws IOException {
    boolean gateway = role == IstioStack.Role.GATEWAY;
    String namespace = gateway ? "istio-system" : "semlb";
    String pod = gateway ? "istio-ingressgateway-0" : "client-0";
    String ip = gateway ? IstioObjects.GATEWAY_ADDRESS : IstioObjects.CLIENT_ADDRESS;
    String labels =
        gateway
            ? "{ istio: ingressgateway, app: istio-ingressgateway }"
            : "{ app: client, semlb.dev/classify: \"true\" }";
    return """
        node:
          id: %s~%s~%s.%s~%s.svc.cluster.local
          cluster: %s.%s
          metadata:
            ISTIO_VERSION: "%s"
            CLUSTER_ID: Kubernetes
            MESH_ID: cluster.local
            NAMESPACE: %s
            NAME: %s
            WORKLOAD_NAME: %s
            OWNER: kubernetes://apis/apps/v1/namespaces/%s/deployments/%s
            SERVICE_ACCOUNT: default
            INSTANCE_IPS: %s
            LABELS: %s
            INTERCEPTION_MODE: %s
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: %d } }
        dynamic_resources:
          ads_config:
            api_type: DELTA_GRPC
            transport_api_version: V3
            set_node_on_first_message_only: true
            grpc_services: [{ envoy_grpc: { cluster_name: xds-grpc } }]
          lds_config: { ads: {}, resource_api_version: V3, initial_fetch_timeout: 0s }
          cds_config: { ads: {}, resource_api_version: V3, initial_fetch_timeout: 0s }
        static_resources:
          clusters:
            - name: xds-grpc
              type: STATIC
              connect_timeout: 1s
              typed_extension_protocol_options:
                envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                  "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                  explicit_http_config: { http2_protocol_options: {} }
              load_assignment:
                cluster_name: xds-grpc
                endpoints:
                  - lb_endpoints:
                      - endpoint:
                          address: { socket_address: { address: 127.0.0.1, port_value: %d } }
        """
        .formatted(
            gateway ? "router" : "sidecar",
            ip,
            pod,
            namespace,
            namespace,
            gateway ? "istio-ingressgateway" : "client",
            namespace,
            istioRelease(),
            namespace,
            pod,
            gateway ? "istio-ingressgateway" : "client",
            namespace,
            gateway ? "istio-ingressgateway" : "client",
            ip,
            labels,
            gateway ? "REDIRECT" : "NONE",
            adminPort,
            xdsPort);
  }

  /** ISTIO_RELEASE from versions.env: the release whose discovery server the harness runs. */
  static String istioRelease() throws IOException {
    for (String line : Files.readAllLines(EnvoyProcess.repoRoot().resolve("versions.env"))) {
      if (line.startsWith("ISTIO_RELEASE=")) {
        return line.substring("ISTIO_RELEASE=".length()).strip();
      }
    }
    throw new IllegalStateException("versions.env: no ISTIO_RELEASE");
  }
}
