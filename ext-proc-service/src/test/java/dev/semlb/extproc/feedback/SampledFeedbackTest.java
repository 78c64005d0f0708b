package dev.semlb.extproc.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.cost.CostKeyHeader;
import dev.semlb.classifier.cost.CostSample;
import dev.semlb.classifier.cost.CostSnapshot;
import dev.semlb.classifier.cost.CostStats;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.config.ConfigException;
import dev.semlb.extproc.processing.DecisionListener;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Feedback sampling end to end inside ext-proc-service: {@link SampledReporting} decides which
 * requests carry the cost key (and with what weight), and the {@link FeedbackReceiver} counts each
 * reported one as its weight, so a sampled key's counts match what was sent.
 */
class SampledFeedbackTest {

  private static final RequestView VIEW =
      RequestView.of("GET", "/api/users/42", Map.of(), BodyView.EMPTY);
  private static final String KEY = "GET /api/users/{id}";

  private final CostStats costs = new CostStats();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final FeedbackReceiver receiver =
      new FeedbackReceiver(costs, null, DecisionListener.NONE, meters);

  private static Pipeline pipeline(String sampling) {
    try {
      return Pipeline.build(
          RoutingConfigLoader.parse(
              "r.yaml",
              """
              defaultPool: general
              pools:
                - name: fast-path
                - name: general
              measured:
                enabled: false
                minSamples: 20
              %s
              """
                  .formatted(sampling)));
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  private void record(int n) {
    for (int i = 0; i < n; i++) {
      costs.record(new CostSample(KEY, "fast-path", 3, Double.NaN, 200, 10));
    }
  }

  @Test
  void everyRequestIsReported_untilTheWindowHoldsFullUntil_thenOneInN() {
    AtomicReference<Pipeline> routing =
        new AtomicReference<>(pipeline("  sampling: { fullUntil: 50, oneIn: 10 }"));
    SampledReporting reporting = new SampledReporting(costs, routing::get);
    assertThat(VIEW.costKey()).isEqualTo(KEY);

    record(49);
    assertThat(reporting.header(VIEW)).isEqualTo(KEY);

    record(1);
    int reported = 0;
    for (int i = 0; i < 20_000; i++) {
      String header = reporting.header(VIEW);
      assertThat(header).isIn("10*" + KEY, "0*" + KEY);
      if (header.startsWith("10*")) {
        reported++;
      }
    }
    // Binomial(20,000, 0.1): mean 2,000, standard deviation about 42.
    assertThat(reported).isBetween(1_750, 2_250);
  }

  @Test
  void oneInOne_reportsEveryRequestAsItself() {
    SampledReporting reporting =
        new SampledReporting(costs, () -> pipeline("  sampling: { oneIn: 1 }"));
    record(5_000);
    for (int i = 0; i < 100; i++) {
      assertThat(reporting.header(VIEW)).isEqualTo(KEY);
    }
  }

  @Test
  void weightedEntry_countsAsItsWeight_inCostsAndResponses() {
    receive(
        FeedbackReceiverTest.entry(CostKeyHeader.value(KEY, 10), "fast-path", 1, 4, null, 200),
        FeedbackReceiverTest.entry(KEY, "fast-path", 1, 4, null, 200),
        FeedbackReceiverTest.entry(CostKeyHeader.value(KEY, 10), "fast-path", 1, 4, null, 503));

    CostSnapshot snapshot = costs.snapshot(KEY).orElseThrow();
    assertThat(snapshot.count()).isEqualTo(11);
    assertThat(snapshot.errors()).isEqualTo(10);
    assertThat(snapshot.total()).isEqualTo(21);
    assertThat(snapshot.pools()).containsEntry("fast-path", 21L);
    assertThat(responses("200")).isEqualTo(11.0);
    assertThat(responses("503")).isEqualTo(10.0);
    assertThat(receiver.weightedEntries()).isEqualTo(2);
  }

  @Test
  void sampledOutRequest_caughtByTheNativeRouteSample_isIgnored() {
    // ext_proc routed it and left it out of the feedback (weight 0); Envoy's 1-in-100 sample of
    // requests with a pool but no reported key logged it anyway.
    receive(FeedbackReceiverTest.entry(CostKeyHeader.value(KEY, 0), "fast-path", 1, 4, null, 200));

    assertThat(costs.snapshot(KEY)).isEmpty();
    assertThat(receiver.sampledOut()).isEqualTo(1);
    assertThat(receiver.unkeyed()).isZero();
    assertThat(meters.find(FeedbackReceiver.RESPONSES).counter()).isNull();
  }

  private double responses(String code) {
    return AccessLogs.responses(meters, "fast-path", code);
  }

  private void receive(HTTPAccessLogEntry... entries) {
    AccessLogs.send(receiver, entries);
  }
}
