package dev.semlb.e2e.support;

import java.util.Map;

/**
 * The objects a Kubernetes cluster would have beside what {@code kubectl apply -k} installs, for
 * {@link IstioStack}: a Pod and an EndpointSlice per process (each on its own loopback address, its
 * "pod IP"), the gateway's Service and Pod in istio-system, or the sidecar client's Pod and the
 * Sidecar resource that stands in for iptables capture. Immutable.
 *
 * @param gatewayPort the port the gateway's Service port 80 targets (Envoy listens there)
 * @param extProcPort ext-proc-service's gRPC port (the target of Service port 50051)
 */
record IstioObjects(int gatewayPort, int extProcPort) {

  /** ext-proc-service's pod IP. */
  static final String EXT_PROC_ADDRESS = "127.0.0.2";

  /** The gateway pod's IP (Envoy binds 0.0.0.0, as Istio's gateway listeners do). */
  static final String GATEWAY_ADDRESS = "127.0.0.10";

  /** The sidecar client pod's IP; the Sidecar resource binds the outbound listener to it. */
  static final String CLIENT_ADDRESS = "127.0.0.20";

  /** The workers Service port (k8s/istio/workers-service.yaml), the sidecar's listener port. */
  static final int WORKERS_PORT = 9001;

  /** The host a client in the mesh calls (k8s/istio/sidecar-outbound/virtualservice-mesh.yaml). */
  static final String WORKERS_HOST = "workers.semlb.svc.cluster.local";

  /** Each pool's worker pod IP. */
  static String workerAddress(String pool) {
    return switch (pool) {
      case "general" -> "127.0.0.3";
      case "high-compute" -> "127.0.0.4";
      case "fast-path" -> "127.0.0.5";
      default ->
          throw new IllegalArgumentException("pool: " + pool + " (expected: a shipped pool)");
    };
  }

  /** Where a client of {@code role} connects, and the Host it names. */
  java.net.InetSocketAddress clientAddress(IstioStack.Role role) {
    return role == IstioStack.Role.GATEWAY
        ? new java.net.InetSocketAddress("127.0.0.1", gatewayPort)
        : new java.net.InetSocketAddress(CLIENT_ADDRESS, WORKERS_PORT);
  }

  /** The Host header a client of {@code role} sends. */
  String clientHost(IstioStack.Role role) {
    return role == IstioStack.Role.GATEWAY
        ? "semlb.example.com"
        : WORKERS_HOST + ":" + WORKERS_PORT;
  }

  /** The YAML documents (Kubernetes and Istio objects) for the harness's -objects file. */
  String render(IstioStack.Role role, Map<String, Integer> workerPorts) {
    StringBuilder yaml = new StringBuilder();
    workerPorts.forEach(
        (pool, port) -> {
          String pod = "worker-" + pool + "-0";
          yaml.append(
              pod(
                  pod,
                  "semlb",
                  workerAddress(pool),
                  "{app.kubernetes.io/name: worker, pool: " + pool + "}",
                  "http",
                  port));
          yaml.append(slice("workers-" + pool, "workers", pod, workerAddress(pool), "http", port));
        });
    yaml.append(
        pod(
            "ext-proc-service-0",
            "semlb",
            EXT_PROC_ADDRESS,
            "{app.kubernetes.io/name: ext-proc-service}",
            "grpc-extproc",
            extProcPort));
    yaml.append(
        slice(
            "ext-proc-service-0",
            "ext-proc-service",
            "ext-proc-service-0",
            EXT_PROC_ADDRESS,
            "grpc-extproc",
            extProcPort));
    if (role == IstioStack.Role.GATEWAY) {
      yaml.append(
          """
          apiVersion: v1
          kind: Namespace
          metadata: { name: istio-system }
          ---
          apiVersion: v1
          kind: Service
          metadata: { name: istio-ingressgateway, namespace: istio-system }
          spec:
            selector: { istio: ingressgateway }
            ports:
              - { name: http2, port: 80, targetPort: %d }
          ---
          """
              .formatted(gatewayPort));
      yaml.append(
          pod(
              "istio-ingressgateway-0",
              "istio-system",
              GATEWAY_ADDRESS,
              "{istio: ingressgateway, app: istio-ingressgateway}",
              "http2",
              gatewayPort));
    } else {
      yaml.append(
          pod(
              "client-0",
              "semlb",
              CLIENT_ADDRESS,
              "{app: client, semlb.dev/classify: \"true\"}",
              "http",
              8000));
      // No iptables here: instead of capturing the client's outbound traffic, its sidecar binds
      // the outbound listener for port 9001 to the pod address (captureMode NONE), the way Istio
      // runs sidecars without traffic capture. The listener is the same SIDECAR_OUTBOUND
      // listener of port 9001 that the EnvoyFilter matches. An egress entry with a port limits the
      // clusters to that port, so ext-proc-service's port 50051 is listed too (its listener, on
      // the client's address as well, is one the EnvoyFilter must leave alone).
      yaml.append(
          """
          apiVersion: networking.istio.io/v1
          kind: Sidecar
          metadata: { name: client-no-capture, namespace: semlb }
          spec:
            workloadSelector: { labels: { app: client } }
            egress:
              - port: { number: %d, protocol: HTTP, name: http }
                bind: %s
                captureMode: NONE
                hosts: ["semlb/*"]
              - port: { number: 50051, protocol: GRPC, name: grpc-extproc }
                bind: %s
                captureMode: NONE
                hosts: ["semlb/*"]
          ---
          """
              .formatted(WORKERS_PORT, CLIENT_ADDRESS, CLIENT_ADDRESS));
    }
    return yaml.toString();
  }

  private static String pod(
      String name, String namespace, String ip, String labels, String portName, int port) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: { name: %s, namespace: %s, labels: %s }
        spec:
          nodeName: node-0
          containers:
            - { name: main, image: semlb/test, ports: [{ name: %s, containerPort: %d }] }
        status:
          phase: Running
          podIP: %s
          podIPs: [{ ip: %s }]
          conditions: [{ type: Ready, status: "True" }]
        ---
        """
        .formatted(name, namespace, labels, portName, port, ip, ip);
  }

  private static String slice(
      String name, String service, String pod, String ip, String portName, int port) {
    return """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %s
          namespace: semlb
          labels: { kubernetes.io/service-name: %s }
        addressType: IPv4
        ports: [{ name: %s, port: %d, protocol: TCP }]
        endpoints:
          - addresses: [%s]
            conditions: { ready: true }
            targetRef: { kind: Pod, name: %s, namespace: semlb }
        ---
        """
        .formatted(name, service, portName, port, ip, pod);
  }
}
