package dev.semlb.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.xds.pools.PoolEndpoint;
import dev.semlb.xds.pools.PoolsConfig;
import dev.semlb.xds.pools.PoolsConfigLoader;
import dev.semlb.xds.registry.EndpointRegistry;
import dev.semlb.xds.registry.MutableClock;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SnapshotPublisherTest {

  private final MutableClock clock = new MutableClock();

  private final Map<String, List<String>> dns = new ConcurrentHashMap<>();
  private final HostResolver resolver =
      host -> {
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
        .map(
            e ->
                e.getAddress().getSocketAddress().getAddress()
                    + ":"
                    + e.getAddress().getSocketAddress().getPortValue())
        .toList();
  }

  @Test
  void publish_servesOneEdsClusterPerPool_withItsEndpoints() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver, new EndpointRegistry(clock));

    publisher.publish(
        pools(
            """
        pools:
          - { name: general, lbPolicy: random, endpoints: [10.0.0.1:9001, { address: 10.0.0.2:9001, weight: 4 }] }
          - { name: fast-path }
          - { name: lonely, fallback: [] }
        """));

    Snapshot snapshot = publisher.cache().getSnapshot(SnapshotPublisher.GROUP);
    assertConsistent(snapshot);
    Cluster general = snapshot.clusters().resources().get("semlb-pool-general");
    assertThat(general.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(general.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
    assertThat(general.getLbPolicy()).isEqualTo(Cluster.LbPolicy.RANDOM);
    assertThat(endpoints(snapshot, "semlb-pool-general"))
        .containsExactly("10.0.0.1:9001", "10.0.0.2:9001");
    assertThat(
            snapshot
                .endpoints()
                .resources()
                .get("semlb-pool-general")
                .getEndpoints(0)
                .getLbEndpoints(1)
                .getLoadBalancingWeight()
                .getValue())
        .isEqualTo(4);
    assertThat(endpoints(snapshot, "semlb-pool-fast-path"))
        .as("no endpoints of its own: the fallback's")
        .containsExactly("10.0.0.1:9001", "10.0.0.2:9001");
    assertThat(snapshot.endpoints().resources().get("semlb-pool-lonely").getEndpointsCount())
        .isZero();
    assertThat(publisher.version()).isEqualTo(1);
  }

  @Test
  void versionGrowsOnlyWhenResourcesChange() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver, new EndpointRegistry(clock));
    String yaml = "pools: [{ name: general, endpoints: [10.0.0.1:9001] }]\n";

    assertThat(publisher.publish(pools(yaml))).isTrue();
    assertThat(publisher.publish(pools(yaml))).isFalse();
    assertThat(publisher.refresh()).isFalse();
    assertThat(publisher.version()).isEqualTo(1);
    assertThat(publisher.publish(pools(yaml.replace("9001", "9002")))).isTrue();
    assertThat(publisher.version()).isEqualTo(2);
    assertThat(
            publisher
                .cache()
                .getSnapshot(SnapshotPublisher.GROUP)
                .version(io.envoyproxy.controlplane.cache.Resources.ResourceType.ENDPOINT))
        .isEqualTo("2");
  }

  @Test
  void hostNames_expandToEveryAddress_andAreReResolved() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver, new EndpointRegistry(clock));
    dns.put("workers.general", List.of("10.1.0.1", "10.1.0.2"));
    publisher.publish(pools("pools: [{ name: general, endpoints: [workers.general:9001] }]\n"));

    assertThat(
            endpoints(publisher.cache().getSnapshot(SnapshotPublisher.GROUP), "semlb-pool-general"))
        .containsExactly("10.1.0.1:9001", "10.1.0.2:9001");

    dns.put("workers.general", List.of("10.1.0.1", "10.1.0.2", "10.1.0.3"));
    assertThat(publisher.refresh()).isTrue();
    assertThat(
            endpoints(publisher.cache().getSnapshot(SnapshotPublisher.GROUP), "semlb-pool-general"))
        .hasSize(3);
  }

  @Test
  void unresolvableHost_isLeftOut_notFatal() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver, new EndpointRegistry(clock));

    publisher.publish(
        pools("pools: [{ name: general, endpoints: [gone.example:9001, 10.0.0.9:9001] }]\n"));

    assertThat(
            endpoints(publisher.cache().getSnapshot(SnapshotPublisher.GROUP), "semlb-pool-general"))
        .containsExactly("10.0.0.9:9001");
  }

  @Test
  void fallbackPools_becomeLowerPriorities_inOrder_andDefaultIsImplied() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver, new EndpointRegistry(clock));

    publisher.publish(
        pools(
            """
        pools:
          - { name: general, endpoints: [10.0.0.1:9001] }
          - { name: fast-path, endpoints: [10.0.0.3:9003] }
          - { name: high-compute, fallback: [fast-path, general], endpoints: [10.0.0.2:9002] }
        """));

    Snapshot snapshot = publisher.cache().getSnapshot(SnapshotPublisher.GROUP);
    assertConsistent(snapshot);
    ClusterLoadAssignment heavy = snapshot.endpoints().resources().get("semlb-pool-high-compute");
    assertThat(heavy.getEndpointsList()).extracting(l -> l.getPriority()).containsExactly(0, 1, 2);
    assertThat(
            heavy
                .getEndpoints(1)
                .getLbEndpoints(0)
                .getEndpoint()
                .getAddress()
                .getSocketAddress()
                .getPortValue())
        .isEqualTo(9003);
    ClusterLoadAssignment fast = snapshot.endpoints().resources().get("semlb-pool-fast-path");
    assertThat(fast.getEndpointsList()).extracting(l -> l.getPriority()).containsExactly(0, 1);
    assertThat(
            fast.getEndpoints(1)
                .getLbEndpoints(0)
                .getEndpoint()
                .getAddress()
                .getSocketAddress()
                .getPortValue())
        .isEqualTo(9001);
    assertThat(snapshot.endpoints().resources().get("semlb-pool-general").getEndpointsCount())
        .isEqualTo(1);
  }

  @Test
  void routes_matchEachPool_thenDefault_withRetriesAndHashPolicy() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver, new EndpointRegistry(clock));

    publisher.publish(
        pools(
            """
        defaultPool: general
        pools:
          - { name: sticky, lbPolicy: ring_hash, hashHeader: x-session-id, requestTimeoutMs: 5000 }
          - { name: general, retries: { attempts: 0 } }
        """));

    Snapshot snapshot = publisher.cache().getSnapshot(SnapshotPublisher.GROUP);
    assertConsistent(snapshot);
    var routes =
        snapshot.routes().resources().get("semlb_pools").getVirtualHosts(0).getRoutesList();
    assertThat(routes)
        .extracting(r -> r.getName())
        .containsExactly(
            "sticky/idempotent",
            "sticky",
            "general/idempotent",
            "general",
            "default/idempotent",
            "default");
    assertThat(routes.get(0).getRoute().getRetryPolicy().getRetryOn())
        .contains("reset")
        .contains("connect-failure");
    assertThat(routes.get(1).getRoute().getRetryPolicy().getRetryOn())
        .isEqualTo("connect-failure,refused-stream");
    assertThat(routes.get(1).getRoute().getHashPolicy(0).getHeader().getHeaderName())
        .isEqualTo("x-session-id");
    assertThat(routes.get(1).getRoute().getTimeout().getSeconds()).isEqualTo(5);
    assertThat(routes.get(3).getRoute().hasRetryPolicy()).isFalse();
    assertThat(routes.get(5).getMatch().getHeadersList()).isEmpty();
    assertThat(routes.get(5).getRoute().getCluster()).isEqualTo("semlb-pool-general");
    assertThat(snapshot.clusters().resources().get("semlb-pool-sticky").getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.RING_HASH);
  }

  @Test
  void versionWeights_splitTrafficByVersion_whateverTheEndpointCount() throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher(resolver, new EndpointRegistry(clock));
    publisher.publish(
        pools(
            """
        pools:
          - name: general
            endpoints:
              - { address: 10.0.0.1:9001, version: blue }
              - { address: 10.0.0.2:9001, version: blue }
              - { address: 10.0.0.3:9001, version: green }
        """));

    publisher.setVersionWeights("general", Map.of("blue", 90, "green", 10));
    Map<String, Integer> weights = weights(publisher, "semlb-pool-general");
    assertThat(weights)
        .containsEntry("10.0.0.1:9001", 45_000)
        .containsEntry("10.0.0.2:9001", 45_000)
        .containsEntry("10.0.0.3:9001", 10_000);

    publisher.setVersionWeights("general", Map.of("green", 100));
    assertThat(weights(publisher, "semlb-pool-general")).containsOnlyKeys("10.0.0.3:9001");

    publisher.setVersionWeights("general", Map.of("red", 100));
    assertThat(weights(publisher, "semlb-pool-general"))
        .as("weights naming no endpoint are ignored")
        .hasSize(3);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> publisher.setVersionWeights("nope", Map.of("a", 1)))
        .hasMessageContaining("pool: 'nope'");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> publisher.setVersionWeights("general", Map.of("a", 101)))
        .hasMessageContaining("versionWeights.a: 101 (expected: 0..100)");
  }

  @Test
  void registeredEndpoints_joinTheirPool_andLeaveWhenTheLeaseEnds() throws Exception {
    EndpointRegistry registry = new EndpointRegistry(clock);
    SnapshotPublisher publisher = new SnapshotPublisher(resolver, registry);
    publisher.publish(pools("pools: [{ name: general, endpoints: [10.0.0.1:9001] }]\n"));

    registry.register("general", new PoolEndpoint("10.0.0.7", 9001), Duration.ofSeconds(10));
    registry.register("general", new PoolEndpoint("10.0.0.1", 9001), Duration.ofSeconds(10));
    registry.register("unknown-pool", new PoolEndpoint("10.0.0.8", 9001), Duration.ofSeconds(10));
    assertThat(publisher.refresh()).isTrue();
    assertThat(
            endpoints(publisher.cache().getSnapshot(SnapshotPublisher.GROUP), "semlb-pool-general"))
        .containsExactly("10.0.0.1:9001", "10.0.0.7:9001");
    assertThat(publisher.served().endpointsOf("general"))
        .extracting(e -> e.source().label())
        .containsExactly("file", "registration");

    clock.advance(Duration.ofSeconds(9));
    assertThat(publisher.expireLeases()).isFalse();
    registry.register("general", new PoolEndpoint("10.0.0.7", 9001), Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(9));
    assertThat(publisher.expireLeases()).as("renewed by the heartbeat").isFalse();
    clock.advance(Duration.ofSeconds(2));
    assertThat(publisher.expireLeases()).isTrue();
    assertThat(
            endpoints(publisher.cache().getSnapshot(SnapshotPublisher.GROUP), "semlb-pool-general"))
        .containsExactly("10.0.0.1:9001");
  }

  @Test
  void slowDns_afterADroppedLease_doesNotBlockOtherPublishers_andTheStaleAnswerIsNotServed()
      throws Exception {
    EndpointRegistry registry = new EndpointRegistry(clock);
    CountDownLatch resolving = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    AtomicBoolean slow = new AtomicBoolean();
    HostResolver dnsThatHangs =
        host -> {
          if (host.equals("slow.example") && slow.get()) {
            resolving.countDown();
            try {
              answer.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return host.equals("slow.example") ? List.of("10.0.0.50") : List.of(host);
        };
    SnapshotPublisher publisher = new SnapshotPublisher(dnsThatHangs, registry);
    publisher.publish(pools("pools: [{ name: general, endpoints: [slow.example:9001] }]\n"));
    registry.register("general", new PoolEndpoint("10.0.0.7", 9001), Duration.ofSeconds(1));
    publisher.refresh();
    long before = publisher.version();
    slow.set(true);
    clock.advance(Duration.ofSeconds(2));
    ExecutorService expiry = Executors.newSingleThreadExecutor();
    try {
      Future<Boolean> expired = expiry.submit(publisher::expireLeases);
      assertThat(resolving.await(5, TimeUnit.SECONDS))
          .as("the rebuild for the dropped lease is resolving")
          .isTrue();

      // While that rebuild waits for DNS, another thread reads and publishes at once.
      ExecutorService other = Executors.newSingleThreadExecutor();
      try {
        Future<Boolean> weights =
            other.submit(
                () -> {
                  publisher.version();
                  publisher.served();
                  slow.set(false);
                  return publisher.publish(
                      pools("pools: [{ name: general, endpoints: [10.0.0.9:9001] }]\n"));
                });
        assertThat(weights.get(2, TimeUnit.SECONDS))
            .as("published without waiting for the slow lookup")
            .isTrue();
      } finally {
        other.shutdownNow();
      }
      assertThat(expired).isNotDone();
      long during = publisher.version();

      answer.countDown();
      assertThat(expired.get(5, TimeUnit.SECONDS))
          .as("its inputs are older than what is served")
          .isFalse();
      assertThat(publisher.version()).isEqualTo(during).isGreaterThan(before);
      assertThat(
              endpoints(
                  publisher.cache().getSnapshot(SnapshotPublisher.GROUP), "semlb-pool-general"))
          .containsExactly("10.0.0.9:9001");
    } finally {
      answer.countDown();
      expiry.shutdownNow();
    }
  }

  /** Every cluster has its load assignment, and every route names a served cluster. */
  private static void assertConsistent(Snapshot snapshot) {
    assertThat(snapshot.endpoints().resources().keySet())
        .containsExactlyInAnyOrderElementsOf(snapshot.clusters().resources().keySet());
    assertThat(snapshot.routes().resources().get("semlb_pools").getVirtualHosts(0).getRoutesList())
        .allSatisfy(
            r ->
                assertThat(snapshot.clusters().resources()).containsKey(r.getRoute().getCluster()));
  }

  private static Map<String, Integer> weights(SnapshotPublisher publisher, String cluster) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (LbEndpoint lb :
        publisher
            .cache()
            .getSnapshot(SnapshotPublisher.GROUP)
            .endpoints()
            .resources()
            .get(cluster)
            .getEndpoints(0)
            .getLbEndpointsList()) {
      var a = lb.getEndpoint().getAddress().getSocketAddress();
      out.put(a.getAddress() + ":" + a.getPortValue(), lb.getLoadBalancingWeight().getValue());
    }
    return out;
  }
}
