package dev.semlb.extproc.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.UInt32Value;
import dev.semlb.classifier.cost.CostSnapshot;
import dev.semlb.classifier.cost.CostStats;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedbackReceiverTest {

  private final CostStats stats = new CostStats();
  private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
      new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
  private final FeedbackReceiver receiver =
      new FeedbackReceiver(stats, null, dev.semlb.extproc.processing.DecisionListener.NONE, meters);
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(receiver).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  static HTTPAccessLogEntry entry(
      String key, String pool, long txMillis, long rxMillis, String serverTiming, int status) {
    HTTPRequestProperties.Builder request = HTTPRequestProperties.newBuilder().setPath("/x/1");
    if (key != null) {
      request.putRequestHeaders(WireContract.COST_KEY_HEADER, key);
      request.putRequestHeaders(WireContract.POOL_HEADER, pool);
    }
    HTTPResponseProperties.Builder response =
        HTTPResponseProperties.newBuilder()
            .setResponseCode(UInt32Value.of(status))
            .setResponseBodyBytes(42);
    if (serverTiming != null) {
      response.putResponseHeaders(WireContract.SERVER_TIMING_HEADER, serverTiming);
    }
    return HTTPAccessLogEntry.newBuilder()
        .setCommonProperties(
            AccessLogCommon.newBuilder()
                .setTimeToFirstUpstreamTxByte(duration(txMillis))
                .setTimeToLastUpstreamRxByte(duration(rxMillis)))
        .setRequest(request)
        .setResponse(response)
        .build();
  }

  private static com.google.protobuf.Duration duration(long millis) {
    Duration d = Duration.ofMillis(millis);
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  private static StreamAccessLogsMessage batch(String logName, HTTPAccessLogEntry... entries) {
    StreamAccessLogsMessage.Builder m =
        StreamAccessLogsMessage.newBuilder()
            .setHttpLogs(
                StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder()
                    .addAllLogEntry(java.util.List.of(entries)));
    if (logName != null) {
      m.setIdentifier(
          StreamAccessLogsMessage.Identifier.newBuilder()
              .setLogName(logName)
              .setNode(Node.newBuilder().setId("envoy-1")));
    }
    return m.build();
  }

  /** Streams {@code messages} as Envoy would and waits for the stream to close. */
  private void stream(StreamAccessLogsMessage... messages) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<StreamAccessLogsMessage> out =
        AccessLogServiceGrpc.newStub(channel)
            .streamAccessLogs(
                new StreamObserver<StreamAccessLogsResponse>() {
                  @Override
                  public void onNext(StreamAccessLogsResponse value) {}

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(null);
                  }
                });
    for (StreamAccessLogsMessage m : messages) {
      out.onNext(m);
    }
    out.onCompleted();
    done.get(5, TimeUnit.SECONDS);
  }

  @Test
  void nativeRouteEntries_becomeEnvoyRouteDecisions_keyedFromMethodAndPath() throws Exception {
    java.util.List<dev.semlb.classifier.Decision> told = new java.util.ArrayList<>();
    java.util.List<String> paths = new java.util.ArrayList<>();
    dev.semlb.extproc.processing.DecisionListener listener =
        new dev.semlb.extproc.processing.DecisionListener() {
          @Override
          public void onDecision(
              dev.semlb.classifier.view.RequestView request,
              dev.semlb.classifier.Decision decision,
              long nanos) {
            told.add(decision);
            paths.add(request.method() + " " + request.path());
          }
        };
    FeedbackReceiver withListener = new FeedbackReceiver(stats, null, listener);
    HTTPAccessLogEntry probe =
        entry(null, null, 1, 3, null, 200).toBuilder()
            .setCommonProperties(
                AccessLogCommon.newBuilder()
                    .setRouteName("rule/health-probes")
                    .setTimeToFirstUpstreamTxByte(duration(1))
                    .setTimeToLastUpstreamRxByte(duration(3)))
            .setRequest(
                HTTPRequestProperties.newBuilder()
                    .setRequestMethod(io.envoyproxy.envoy.config.core.v3.RequestMethod.HEAD)
                    .setPath("/healthz?verbose=1")
                    .putRequestHeaders(WireContract.POOL_HEADER, "fast-path"))
            .build();
    HTTPAccessLogEntry other = entry(null, null, 1, 3, null, 200); // no key, other route
    String name = InProcessServerBuilder.generateName();
    Server own = InProcessServerBuilder.forName(name).addService(withListener).build().start();
    ManagedChannel ownChannel = InProcessChannelBuilder.forName(name).build();
    try {
      ManagedChannel saved = channel;
      channel = ownChannel;
      stream(batch(WireContract.FEEDBACK_LOG_NAME, probe, other));
      channel = saved;
    } finally {
      ownChannel.shutdownNow();
      own.shutdownNow();
    }

    assertThat(told).hasSize(1);
    assertThat(told.get(0).pool()).isEqualTo("fast-path");
    assertThat(told.get(0).stage()).isEqualTo(dev.semlb.classifier.Stage.ENVOY_ROUTE);
    assertThat(told.get(0).reason()).contains("health-probes");
    assertThat(paths).containsExactly("HEAD /healthz");
    assertThat(withListener.nativeRouted()).isEqualTo(1);
    assertThat(withListener.unkeyed()).isEqualTo(1);
    String key =
        dev.semlb.classifier.cost.CostKey.of(
            dev.semlb.classifier.view.RequestView.of(
                "HEAD", "/healthz", java.util.Map.of(), dev.semlb.classifier.view.BodyView.EMPTY));
    assertThat(stats.snapshot(key).orElseThrow().firstPool()).isEqualTo("fast-path");
  }

  @Test
  void entriesOfSemlbsLog_becomeCostSamples_underTheirKeyAndPool() throws Exception {
    stream(
        batch(
            WireContract.FEEDBACK_LOG_NAME,
            entry("GET /v1/reports/{id}", "fast-path", 2, 414, null, 200),
            entry("GET /v1/reports/{id}", "fast-path", 1, 401, null, 200)),
        // Later batches of a stream carry no identifier.
        batch(null, entry("GET /v1/reports/{id}", "fast-path", 1, 421, null, 200)));

    CostSnapshot s = stats.snapshot("GET /v1/reports/{id}").orElseThrow();
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.quantile(0.5)).isCloseTo(412, within(10.0));
    assertThat(s.firstPool()).isEqualTo("fast-path");
    assertThat(receiver.entries()).isEqualTo(3);
  }

  @Test
  void serverTiming_winsOverUpstreamTime_andErrorsAreCounted() throws Exception {
    stream(
        batch(
            WireContract.FEEDBACK_LOG_NAME,
            entry("POST /jobs", "high-compute", 0, 600, "app;dur=4.5", 200),
            entry("POST /jobs", "high-compute", 0, 2, null, 503)));
    CostSnapshot s = stats.snapshot("POST /jobs").orElseThrow();
    assertThat(s.quantile(0.5)).isCloseTo(4.5, within(0.2));
    assertThat(s.errors()).isEqualTo(1);
  }

  @Test
  void failedGrpcCalls_countAsErrors_byTheirGrpcStatus() throws Exception {
    HTTPAccessLogEntry ok = entry("POST /pkg.Svc/Get", "general", 0, 5, null, 200);
    HTTPAccessLogEntry unavailable =
        ok.toBuilder()
            .setResponse(ok.getResponse().toBuilder().putResponseTrailers("grpc-status", "14"))
            .build();
    HTTPAccessLogEntry trailersOnly =
        ok.toBuilder()
            .setResponse(ok.getResponse().toBuilder().putResponseHeaders("grpc-status", "13"))
            .build();
    HTTPAccessLogEntry okTrailer =
        ok.toBuilder()
            .setResponse(ok.getResponse().toBuilder().putResponseTrailers("grpc-status", "0"))
            .build();
    stream(batch(WireContract.FEEDBACK_LOG_NAME, ok, unavailable, trailersOnly, okTrailer));
    CostSnapshot s = stats.snapshot("POST /pkg.Svc/Get").orElseThrow();
    assertThat(s.count()).as("the calls that succeeded").isEqualTo(2);
    assertThat(s.errors()).isEqualTo(2);
    assertThat(GrpcOutcome.httpStatus(200, "8")).isEqualTo(429);
    assertThat(GrpcOutcome.httpStatus(200, "3")).isEqualTo(400);
    assertThat(GrpcOutcome.httpStatus(200, "x")).isEqualTo(200);
    assertThat(GrpcOutcome.httpStatus(200, null)).isEqualTo(200);
  }

  @Test
  void entriesWithoutAKey_andOtherLogs_areCountedAndIgnored() throws Exception {
    stream(batch(WireContract.FEEDBACK_LOG_NAME, entry(null, null, 0, 5, null, 200)));
    stream(batch("someone-elses-log", entry("GET /a", "general", 0, 5, null, 200)));
    assertThat(receiver.unkeyed()).isEqualTo(1);
    assertThat(receiver.foreign()).isEqualTo(1);
    assertThat(stats.totals().keys()).isZero();
  }

  @Test
  void responses_areCountedByPoolAndStatus_soEachPoolsRateLimited429sShow() throws Exception {
    stream(
        batch(
            WireContract.FEEDBACK_LOG_NAME,
            entry("GET /a", "fast-path", 0, 0, null, 429),
            entry("GET /a", "fast-path", 0, 0, null, 429),
            entry("GET /a", "fast-path", 1, 3, null, 200),
            entry("GET /b", "general", 1, 3, null, 200),
            entry(null, null, 1, 3, null, 429))); // no pool: not semlb's, not counted

    assertThat(
            meters
                .get(FeedbackReceiver.RESPONSES)
                .tags("pool", "fast-path", "code", "429")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            meters
                .get(FeedbackReceiver.RESPONSES)
                .tags("pool", "fast-path", "code", "200")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(meters.get(FeedbackReceiver.RESPONSES).tags("pool", "general").counters())
        .hasSize(1);
    assertThat(meters.find(FeedbackReceiver.RESPONSES).counters()).hasSize(3);
  }
}
