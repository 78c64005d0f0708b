package dev.semlb.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.pools.PoolsConfigLoader;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SnapshotPublisherTest {

  private final Map<String, List<String>> dns = new ConcurrentHashMap<>();
  private final HostResolver resolver = host -> {
    if (host.matches("[0-9.]+")) {
      return List.of(host);
    }
    List<String> answer = dns.get(host);
    if (answer == null) {
      throw new UnknownHostException(host);
    }
    return answer;
  };

  private static PoolsConfig pools(String yaml) throws Exception {
    return PoolsConfigLoader.parse("pools.yaml", yaml);
  }

  private static List<String> endpoints(Snapshot snapshot, String cluster) {
    ClusterLoadAssignment cla = snapshot.endpoints().resources().get(cluster);
    return cla.getEndpoints(0).getLbEndpointsList().stream()
        .map(LbEndpoint::getEndpoint)
        .map(e -> e.getAddress().getSocketAddress().getAddress() + ":" + e.getAddress().getSocketAddress().getPortValue())
        .toList();
  }

  @Test
  void publish_servesOneEdsClusterPerPool_withItsEndpoints() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver);

    publisher.publish(pools("""
        pools:
          - { name: general, lbPolicy: random, endpoints: [10.0.0.1:9001, { address: 10.0.0.2:9001, weight: 4 }] }
          - { name: fast-path }
        """));

    Snapshot snapshot = publisher.cache().getSnapshot(SnapshotPublisher.GROUP);
    snapshot.ensureConsistent();
    Cluster general = snapshot.clusters().resources().get("semlb-pool-general");
    assertThat(general.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(general.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
    assertThat(general.getLbPolicy()).isEqualTo(Cluster.LbPolicy.RANDOM);
    assertThat(endpoints(snapshot, "semlb-pool-general")).containsExactly("10.0.0.1:9001", "10.0.0.2:9001");
    assertThat(snapshot.endpoints().resources().get("semlb-pool-general").getEndpoints(0).getLbEndpoints(1)
        .getLoadBalancingWeight().getValue()).isEqualTo(4);
    assertThat(endpoints(snapshot, "semlb-pool-fast-path")).isEmpty();
    assertThat(publisher.version()).isEqualTo(1);
  }

  @Test
  void versionGrowsOnlyWhenResourcesChange() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver);
    String yaml = "pools: [{ name: general, endpoints: [10.0.0.1:9001] }]\n";

    assertThat(publisher.publish(pools(yaml))).isTrue();
    assertThat(publisher.publish(pools(yaml))).isFalse();
    assertThat(publisher.refresh()).isFalse();
    assertThat(publisher.version()).isEqualTo(1);
    assertThat(publisher.publish(pools(yaml.replace("9001", "9002")))).isTrue();
    assertThat(publisher.version()).isEqualTo(2);
    assertThat(publisher.cache().getSnapshot(SnapshotPublisher.GROUP).version(
        io.envoyproxy.controlplane.cache.Resources.ResourceType.ENDPOINT)).isEqualTo("2");
  }

  @Test
  void hostNames_expandToEveryAddress_andAreReResolved() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver);
    dns.put("workers.general", List.of("10.1.0.1", "10.1.0.2"));
    publisher.publish(pools("pools: [{ name: general, endpoints: [workers.general:9001] }]\n"));

    assertThat(endpoints(publisher.cache().getSnapshot(SnapshotPublisher.GROUP), "semlb-pool-general"))
        .containsExactly("10.1.0.1:9001", "10.1.0.2:9001");

    dns.put("workers.general", List.of("10.1.0.1", "10.1.0.2", "10.1.0.3"));
    assertThat(publisher.refresh()).isTrue();
    assertThat(endpoints(publisher.cache().getSnapshot(SnapshotPublisher.GROUP), "semlb-pool-general"))
        .hasSize(3);
  }

  @Test
  void unresolvableHost_isLeftOut_notFatal() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver);

    publisher.publish(pools("pools: [{ name: general, endpoints: [gone.example:9001, 10.0.0.9:9001] }]\n"));

    assertThat(endpoints(publisher.cache().getSnapshot(SnapshotPublisher.GROUP), "semlb-pool-general"))
        .containsExactly("10.0.0.9:9001");
  }
}
