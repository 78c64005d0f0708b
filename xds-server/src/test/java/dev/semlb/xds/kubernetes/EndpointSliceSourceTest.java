package dev.semlb.xds.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.xds.pools.PoolsConfigLoader;
import dev.semlb.xds.registry.EndpointRegistry;
import dev.semlb.xds.registry.MutableClock;
import dev.semlb.xds.registry.SourcedEndpoint;
import dev.semlb.xds.snapshot.SnapshotPublisher;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** EndpointSlice discovery against fabric8's mock Kubernetes API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class EndpointSliceSourceTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static EndpointSlice slice(
      String name, String service, boolean secondReady, String... ips) {
    EndpointSliceBuilder b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("semlb")
            .addToLabels(EndpointSliceSource.SERVICE_LABEL, service)
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("http")
            .withPort(8080)
            .withProtocol("TCP")
            .endPort()
            .addNewPort()
            .withName("metrics")
            .withPort(9100)
            .withProtocol("TCP")
            .endPort();
    for (int i = 0; i < ips.length; i++) {
      b.addNewEndpoint()
          .addToAddresses(ips[i])
          .withNewConditions()
          .withReady(i != 1 || secondReady)
          .endConditions()
          .endEndpoint();
    }
    return b.build();
  }

  private static List<String> await(Supplier<List<String>> value, List<String> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<String> seen = value.get();
    while (!seen.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      seen = value.get();
    }
    return seen;
  }

  @Test
  void readyAddressesOfAPoolsService_joinThePool_andFollowChanges() throws Exception {
    SnapshotPublisher publisher =
        new SnapshotPublisher(host -> List.of(host), new EndpointRegistry(new MutableClock()));
    publisher.publish(
        PoolsConfigLoader.parse(
            "pools.yaml",
            """
        pools:
          - { name: general, endpoints: [10.9.9.9:9001] }
          - name: fast-path
            fallback: []
            kubernetes: { service: worker-fast, port: http, version: blue }
        """));
    var ns = client.discovery().v1().endpointSlices().inNamespace("semlb");
    ns.resource(slice("worker-fast-abc", "worker-fast", false, "10.1.0.1", "10.1.0.2", "10.1.0.3"))
        .create();
    ns.resource(slice("unrelated-xyz", "other-service", true, "10.2.0.1")).create();
    Supplier<List<String>> fast =
        () ->
            publisher.served().endpointsOf("fast-path").stream()
                .map(SourcedEndpoint::endpoint)
                .map(e -> e.address() + "/" + e.version())
                .toList();

    try (EndpointSliceSource source =
        EndpointSliceSource.start(client, "semlb", publisher::setDiscovered)) {
      List<String> initial = await(fast, List.of("10.1.0.1:8080/blue", "10.1.0.3:8080/blue"));
      String sources = publisher.served().endpointsOf("fast-path").get(0).source().label();

      ns.resource(slice("worker-fast-abc", "worker-fast", true, "10.1.0.1", "10.1.0.2", "10.1.0.3"))
          .update();
      List<String> allReady =
          await(fast, List.of("10.1.0.1:8080/blue", "10.1.0.2:8080/blue", "10.1.0.3:8080/blue"));

      ns.withName("worker-fast-abc").delete();
      List<String> deleted = await(fast, List.of());

      assertThat(initial)
          .as("the not-ready endpoint is left out")
          .containsExactly("10.1.0.1:8080/blue", "10.1.0.3:8080/blue");
      assertThat(sources).isEqualTo("kubernetes");
      assertThat(allReady).hasSize(3);
      assertThat(deleted).isEmpty();
      assertThat(publisher.served().endpointsOf("general")).hasSize(1);
      assertThat(source.synced()).isTrue();
    }
  }

  @Test
  void portIsChosenByNameNumberOrTheOnlyOne() {
    DiscoveredAddress two =
        new DiscoveredAddress("10.0.0.1", java.util.Map.of("http", 8080, "metrics", 9100));
    DiscoveredAddress one = new DiscoveredAddress("10.0.0.1", java.util.Map.of("", 7000));

    assertThat(two.port("http")).hasValue(8080);
    assertThat(two.port("9000")).hasValue(9000);
    assertThat(two.port("")).as("ambiguous").isEmpty();
    assertThat(two.port("grpc")).isEmpty();
    assertThat(one.port("")).hasValue(7000);
  }
}
