package dev.semlb.xds.admin;

import com.sun.net.httpserver.HttpHandler;
import dev.semlb.admin.AdminConfig;
import dev.semlb.admin.AdminHttp;
import dev.semlb.xds.pools.Pool;
import dev.semlb.xds.snapshot.ServedPools;
import dev.semlb.xds.snapshot.SnapshotPublisher;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xds-server's metrics and admin API: {@code GET /metrics} ({@code semlb_xds_snapshot_version},
 * {@code semlb_xds_connected_streams}, {@code semlb_xds_endpoints{pool}}, {@code
 * semlb_xds_config_reloads_total{result}}, {@code semlb_xds_nacks_total{type}}, JVM) and the pools
 * API ({@link PoolsApi}: pools, registration, weights). Also the discovery-server callbacks that
 * count Envoy streams and report NACKs. Thread-safe.
 */
public final class XdsAdmin implements DiscoveryServerCallbacks, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(XdsAdmin.class);

  private final SnapshotPublisher publisher;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger streams = new AtomicInteger();
  private final AtomicLong reloadsOk = new AtomicLong();
  private final AtomicLong reloadsFailed = new AtomicLong();
  private final MultiGauge endpoints;
  private final Map<String, Counter> nacks = new ConcurrentHashMap<>();
  private final Clock clock;
  private AdminHttp http;

  /** Registers the meters; call {@link #start} to serve them. */
  public XdsAdmin(SnapshotPublisher publisher, Clock clock) {
    this.publisher = publisher;
    this.clock = clock;
    Gauge.builder("semlb.xds.snapshot.version", publisher, SnapshotPublisher::version)
        .description("version of the snapshot served to Envoy")
        .register(registry);
    Gauge.builder("semlb.xds.connected.streams", streams, AtomicInteger::get)
        .description("xDS streams open from Envoy nodes")
        .register(registry);
    FunctionCounter.builder("semlb.xds.config.reloads", reloadsOk, AtomicLong::get)
        .tag("result", "success")
        .register(registry);
    FunctionCounter.builder("semlb.xds.config.reloads", reloadsFailed, AtomicLong::get)
        .tag("result", "failure")
        .register(registry);
    endpoints =
        MultiGauge.builder("semlb.xds.endpoints")
            .description("endpoints served per pool")
            .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Serves the admin API. */
  public void start(AdminConfig config) throws IOException {
    Map<String, HttpHandler> handlers = new LinkedHashMap<>();
    handlers.put(
        "/metrics",
        AdminHttp.prometheus(
            () -> {
              refreshEndpointGauges();
              return registry.scrape();
            }));
    handlers.put("/api/pools", new PoolsApi(publisher, streams::get, clock));
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

  /** Pools-file reloads that succeeded. */
  public long reloadsSucceeded() {
    return reloadsOk.get();
  }

  /** Pools-file reloads that were rejected. */
  public long reloadsFailed() {
    return reloadsFailed.get();
  }

  /** xDS streams open from Envoy nodes now. */
  public int connectedStreams() {
    return streams.get();
  }

  /** NACKs received from Envoy so far, all types. */
  public long nacks() {
    return (long) nacks.values().stream().mapToDouble(Counter::count).sum();
  }

  private void refreshEndpointGauges() {
    ServedPools served = publisher.served();
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    if (served != null) {
      for (Pool pool : served.config().pools()) {
        rows.add(
            MultiGauge.Row.of(
                Tags.of("pool", pool.name()), served.endpointsOf(pool.name()).size()));
      }
    }
    endpoints.register(rows, true);
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

  /**
   * A request that carries an error detail is a NACK: Envoy rejected the resources of that version
   * and keeps using its last accepted ones. Logged with Envoy's reason and counted in {@code
   * semlb_xds_nacks_total{type}}.
   */
  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    if (request.hasErrorDetail()) {
      String type = request.getTypeUrl().substring(request.getTypeUrl().lastIndexOf('.') + 1);
      nacks
          .computeIfAbsent(
              type,
              t ->
                  Counter.builder("semlb.xds.nacks")
                      .tag("type", t)
                      .description("xDS responses Envoy rejected")
                      .register(registry))
          .increment();
      log.error(
          "Envoy node {} rejected {} version {} (still using {}): {}",
          request.getNode().getId(),
          type,
          request.getResponseNonce(),
          request.getVersionInfo(),
          request.getErrorDetail().getMessage());
    }
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
