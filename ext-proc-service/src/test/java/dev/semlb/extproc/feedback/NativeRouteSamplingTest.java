package dev.semlb.extproc.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.cost.CostStats;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.extproc.processing.DecisionListener;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Envoy logs 1 in N of the requests native routes decide and tags each entry with N ({@link
 * WireContract#NATIVE_ROUTE_WEIGHT_TAG}): each such entry counts as N decisions and responses, and
 * is shown once as an example.
 */
class NativeRouteSamplingTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<Long> weights = new ArrayList<>();
  private final List<Decision> examples = new ArrayList<>();
  private final FeedbackReceiver receiver =
      new FeedbackReceiver(
          new CostStats(),
          null,
          new DecisionListener() {
            @Override
            public void onDecision(RequestView request, Decision decision, long nanos) {
              examples.add(decision);
            }

            @Override
            public void onSampledDecision(RequestView request, Decision decision, long weight) {
              weights.add(weight);
              DecisionListener.super.onSampledDecision(request, decision, weight);
            }
          },
          meters);

  private static HTTPAccessLogEntry nativeEntry(String weightTag) {
    AccessLogCommon.Builder common = AccessLogCommon.newBuilder().setRouteName("rule/probes");
    if (weightTag != null) {
      common.putCustomTags(WireContract.NATIVE_ROUTE_WEIGHT_TAG, weightTag);
    }
    return HTTPAccessLogEntry.newBuilder()
        .setCommonProperties(common)
        .setRequest(
            HTTPRequestProperties.newBuilder()
                .setPath("/healthz")
                .putRequestHeaders(WireContract.POOL_HEADER, "fast-path"))
        .setResponse(HTTPResponseProperties.newBuilder().setResponseCode(UInt32Value.of(200)))
        .build();
  }

  private void receive(HTTPAccessLogEntry... entries) {
    AccessLogs.send(receiver, entries);
  }

  private double responses(String code) {
    return AccessLogs.responses(meters, "fast-path", code);
  }

  @Test
  void sampledNativeEntry_countsAsItsWeight_andIsShownOnce() {
    receive(nativeEntry("100"), nativeEntry("100"));

    assertThat(weights).containsExactly(100L, 100L);
    assertThat(examples).hasSize(2);
    assertThat(examples.get(0).reason()).contains("probes").contains("1 in 100 logged");
    assertThat(receiver.nativeRouted()).isEqualTo(2);
    assertThat(receiver.nativeRoutedEstimate()).isEqualTo(200);
    assertThat(responses("200")).isEqualTo(200);
  }

  @Test
  void missingOrMalformedWeight_countsOnce() {
    receive(
        nativeEntry(null),
        nativeEntry("0"),
        nativeEntry("-5"),
        nativeEntry("1e2"),
        nativeEntry(" 7 "),
        nativeEntry(Long.toString(FeedbackReceiver.MAX_WEIGHT + 1)));

    assertThat(weights).containsExactly(1L, 1L, 1L, 1L, 7L, 1L);
    assertThat(examples.get(0).reason()).doesNotContain("logged");
    assertThat(receiver.nativeRoutedEstimate()).isEqualTo(12);
    assertThat(responses("200")).isEqualTo(12);
  }

  @Test
  void theWeight_countsOnlyForNativeRouteEntries() {
    // ext_proc-routed requests are all logged; the tag is on every entry of the log.
    HTTPAccessLogEntry routedByExtProc =
        nativeEntry("100").toBuilder()
            .setCommonProperties(
                AccessLogCommon.newBuilder()
                    .setRouteName("fast-path/idempotent")
                    .putCustomTags(WireContract.NATIVE_ROUTE_WEIGHT_TAG, "100"))
            .setRequest(
                HTTPRequestProperties.newBuilder()
                    .setPath("/v1/x")
                    .putRequestHeaders(WireContract.POOL_HEADER, "fast-path")
                    .putRequestHeaders(WireContract.COST_KEY_HEADER, "GET /v1/x"))
            .build();
    receive(routedByExtProc);

    assertThat(weights).isEmpty();
    assertThat(receiver.nativeRoutedEstimate()).isZero();
    assertThat(responses("200")).isEqualTo(1);
  }
}
