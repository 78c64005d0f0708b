package dev.semlb.xds.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import dev.semlb.admin.AdminConfig;
import dev.semlb.admin.AdminHttp;
import dev.semlb.xds.snapshot.PoolResources;
import dev.semlb.xds.snapshot.SnapshotPublisher;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The xds-server's metrics and admin API: {@code GET /metrics} ({@code semlb_xds_snapshot_version},
 * {@code semlb_xds_connected_streams}, {@code semlb_xds_endpoints{pool}},
 * {@code semlb_xds_config_reloads_total{result}}, JVM) and {@code GET /api/pools} (pools,
 * clusters, policies and endpoints being served). Also the discovery-server callbacks that
 * count Envoy streams. Thread-safe.
 */
public final class XdsAdmin implements DiscoveryServerCallbacks, AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SnapshotPublisher publisher;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger streams = new AtomicInteger();
  private final AtomicLong reloadsOk = new AtomicLong();
  private final AtomicLong reloadsFailed = new AtomicLong();
  private final MultiGauge endpoints;
  private AdminHttp http;

  /** Registers the meters; call {@link #start} to serve them. */
  public XdsAdmin(SnapshotPublisher publisher) {
    this.publisher = publisher;
    Gauge.builder("semlb.xds.snapshot.version", publisher, SnapshotPublisher::version)
        .description("version of the snapshot served to Envoy").register(registry);
    Gauge.builder("semlb.xds.connected.streams", streams, AtomicInteger::get)
        .description("xDS streams open from Envoy nodes").register(registry);
    FunctionCounter.builder("semlb.xds.config.reloads", reloadsOk, AtomicLong::get).tag("result", "success")
        .register(registry);
    FunctionCounter.builder("semlb.xds.config.reloads", reloadsFailed, AtomicLong::get).tag("result", "failure")
        .register(registry);
    endpoints = MultiGauge.builder("semlb.xds.endpoints").description("endpoints served per pool").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Serves the admin API. */
  public void start(AdminConfig config) throws IOException {
    Map<String, HttpHandler> handlers = new LinkedHashMap<>();
    handlers.put("/metrics", AdminHttp.prometheus(() -> {
      refreshEndpointGauges();
      return registry.scrape();
    }));
    handlers.put("/api/pools", exchange -> AdminHttp.sendJson(exchange, 200, pools()));
    http = AdminHttp.start("xds-server", config, handlers);
  }

  /** The admin port, or -1 when not started. */
  public int port() {
    return http == null ? -1 : http.port();
  }

  /** Records the result of a pools-file reload. */
  public void reloaded(boolean ok) {
    (ok ? reloadsOk : reloadsFailed).incrementAndGet();
  }

  private void refreshEndpointGauges() {
    PoolResources served = publisher.published();
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    if (served != null) {
      for (ClusterLoadAssignment cla : served.loadAssignments()) {
        int n = cla.getEndpointsList().stream().mapToInt(LocalityLbEndpoints::getLbEndpointsCount).sum();
        rows.add(MultiGauge.Row.of(Tags.of("pool", pool(cla.getClusterName())), n));
      }
    }
    endpoints.register(rows, true);
  }

  /** The pools being served, as JSON. */
  ObjectNode pools() {
    ObjectNode out = JSON.createObjectNode();
    out.put("snapshotVersion", publisher.version());
    out.put("connectedStreams", streams.get());
    ArrayNode pools = out.putArray("pools");
    PoolResources served = publisher.published();
    if (served == null) {
      return out;
    }
    for (int i = 0; i < served.clusters().size(); i++) {
      Cluster cluster = served.clusters().get(i);
      ObjectNode pool = pools.addObject()
          .put("name", pool(cluster.getName()))
          .put("cluster", cluster.getName())
          .put("lbPolicy", cluster.getLbPolicy().name().toLowerCase(java.util.Locale.ROOT));
      ArrayNode eps = pool.putArray("endpoints");
      for (LocalityLbEndpoints locality : served.loadAssignments().get(i).getEndpointsList()) {
        for (LbEndpoint lb : locality.getLbEndpointsList()) {
          eps.addObject()
              .put("address", lb.getEndpoint().getAddress().getSocketAddress().getAddress())
              .put("port", lb.getEndpoint().getAddress().getSocketAddress().getPortValue())
              .put("weight", lb.getLoadBalancingWeight().getValue());
        }
      }
    }
    return out;
  }

  private static String pool(String clusterName) {
    return clusterName.startsWith("semlb-pool-") ? clusterName.substring("semlb-pool-".length()) : clusterName;
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    streams.incrementAndGet();
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    streams.decrementAndGet();
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    streams.decrementAndGet();
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    // nothing: counted at stream level
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    // nothing: counted at stream level
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
  }
}
