package dev.semlb.extproc.feedback;

import com.google.protobuf.Duration;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.cost.CostKey;
import dev.semlb.classifier.cost.CostKeyHeader;
import dev.semlb.classifier.cost.CostSample;
import dev.semlb.classifier.cost.CostStats;
import dev.semlb.classifier.cost.ServerTiming;
import dev.semlb.classifier.envoyroute.NativeRule;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.extproc.processing.DecisionListener;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy's gRPC access log service, as the cost feedback stream: every finished request Envoy
 * reports (with the {@link WireContract#COST_KEY_HEADER} ext-proc-service set on it) becomes a
 * {@link CostSample} in the {@link CostStats}. A request that a native route decided in Envoy's
 * route table (its route name starts with {@link NativeRule#ROUTE_PREFIX}; ext_proc never saw it)
 * is also told to the {@link DecisionListener} as a decision of stage {@code envoy-route}, so the
 * decisions API, metrics and dashboard show it, and is keyed here from its method and path. Envoy
 * logs only a sample of those (1 in the {@link WireContract#NATIVE_ROUTE_WEIGHT_TAG} of the entry,
 * 1 in 100 as shipped): each logged one is counted as that many decisions and responses, and shown
 * once in the decisions API. Every entry with a pool is also counted by pool and status code
 * ({@link #RESPONSES}).
 *
 * <p>Off the request path by construction: Envoy batches and sends entries after requests finish
 * and never waits for an answer; when this service is down Envoy drops the entries (its own {@code
 * access_logs.grpc_access_log.*} stats count them) and requests are unaffected. Streams with a
 * {@code log_name} other than {@link WireContract#FEEDBACK_LOG_NAME}, and entries without a cost
 * key (failed-open requests), are counted and ignored. Only the cost key, pool, method, path, route
 * name, status, sizes and timings are read; no header values other than the pool, the key and
 * {@code server-timing}, no bodies. Thread-safe.
 */
public final class FeedbackReceiver extends AccessLogServiceGrpc.AccessLogServiceImplBase {

  private static final Logger log = LoggerFactory.getLogger(FeedbackReceiver.class);

  private final CostStats stats;
  private final Supplier<Pipeline> routing;
  private final DecisionListener decisions;
  private final LongAdder entries = new LongAdder();
  private final LongAdder nativeEntries = new LongAdder();
  private final LongAdder nativeWeighted = new LongAdder();
  private final LongAdder unkeyed = new LongAdder();
  private final LongAdder weighted = new LongAdder();
  private final LongAdder sampledOut = new LongAdder();
  private final LongAdder foreign = new LongAdder();
  private final MeterRegistry responses;

  /** Records into {@code stats}; tells nobody about native-route decisions. */
  public FeedbackReceiver(CostStats stats) {
    this(stats, null, DecisionListener.NONE);
  }

  /**
   * Records into {@code stats} and tells {@code decisions} about the requests native routes
   * decided, as {@code routing}'s current pipeline sees them (null: key them without a pipeline).
   */
  public FeedbackReceiver(CostStats stats, Supplier<Pipeline> routing, DecisionListener decisions) {
    this(stats, routing, decisions, new SimpleMeterRegistry());
  }

  /**
   * As {@link #FeedbackReceiver(CostStats, Supplier, DecisionListener)}, also counting every
   * reported response by pool and status code in {@code responses} ({@value #RESPONSES}, e.g. the
   * 429s of a pool's rate limit). The pool header is set only by semlb (Envoy strips a client's),
   * so the pools are the configured ones.
   */
  public FeedbackReceiver(
      CostStats stats,
      Supplier<Pipeline> routing,
      DecisionListener decisions,
      MeterRegistry responses) {
    this.stats = Objects.requireNonNull(stats, "stats");
    this.routing = routing;
    this.decisions = Objects.requireNonNull(decisions, "decisions");
    this.responses = Objects.requireNonNull(responses, "responses");
  }

  /** The counter of responses by pool and status code: {@code semlb_feedback_responses_total}. */
  public static final String RESPONSES = "semlb.feedback.responses";

  @Override
  public StreamObserver<StreamAccessLogsMessage> streamAccessLogs(
      StreamObserver<StreamAccessLogsResponse> responses) {
    return new StreamObserver<>() {
      // Envoy names the log in the first message of a stream only. gRPC calls one stream's
      // observer one message at a time, so no lock is needed.
      private boolean ours;

      @Override
      public void onNext(StreamAccessLogsMessage message) {
        if (message.hasIdentifier()) {
          ours = WireContract.FEEDBACK_LOG_NAME.equals(message.getIdentifier().getLogName());
        }
        int n = message.getHttpLogs().getLogEntryCount();
        if (!ours) {
          foreign.add(n);
          return;
        }
        for (HTTPAccessLogEntry entry : message.getHttpLogs().getLogEntryList()) {
          entries.increment();
          String rule = NativeRule.ruleOf(entry.getCommonProperties().getRouteName());
          long weight = rule == null ? 1 : weight(entry);
          CostKeyHeader.Weighted reported =
              rule == null
                  ? reported(entry)
                  : new CostKeyHeader.Weighted(nativeKey(entry, rule, weight), 1);
          if (reported.weight() == 0) {
            // ext_proc left it out of the feedback; Envoy's 1-in-100 sample of requests without
            // a reported key caught it. The sampled requests of its key stand for it.
            sampledOut.increment();
            continue;
          }
          CostSample sample = sample(entry, reported);
          countResponse(entry, rule != null || sample == null ? weight : sample.weight());
          if (sample == null) {
            unkeyed.increment();
          } else {
            if (sample.weight() > 1) {
              weighted.increment();
            }
            stats.record(sample);
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        log.debug("access log stream ended: {}", t.toString());
      }

      @Override
      public void onCompleted() {
        responses.onNext(StreamAccessLogsResponse.getDefaultInstance());
        responses.onCompleted();
      }
    };
  }

  /** The largest weight an entry may claim; a larger or malformed one counts as 1. */
  static final long MAX_WEIGHT = 1_000_000;

  /**
   * How many requests a native-route entry stands for: its {@link
   * WireContract#NATIVE_ROUTE_WEIGHT_TAG}, 1 when absent or not an integer in [1, {@value
   * #MAX_WEIGHT}].
   */
  static long weight(HTTPAccessLogEntry entry) {
    String tag =
        entry
            .getCommonProperties()
            .getCustomTagsOrDefault(WireContract.NATIVE_ROUTE_WEIGHT_TAG, "");
    try {
      long weight = Long.parseLong(tag.strip());
      return weight >= 1 && weight <= MAX_WEIGHT ? weight : 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private void countResponse(HTTPAccessLogEntry entry, long weight) {
    String pool = entry.getRequest().getRequestHeadersOrDefault(WireContract.POOL_HEADER, "");
    if (pool.isEmpty()) {
      return;
    }
    int code = status(entry);
    responses
        .counter(RESPONSES, "pool", pool, "code", code >= 100 && code <= 599 ? "" + code : "none")
        .increment(weight);
  }

  /**
   * For an entry of native route {@code rule} standing for {@code weight} requests: tells the
   * decision listener and returns the request's cost key.
   */
  private String nativeKey(HTTPAccessLogEntry entry, String rule, long weight) {
    nativeEntries.increment();
    nativeWeighted.add(weight);
    HTTPRequestProperties request = entry.getRequest();
    String method =
        request.getRequestMethod() == RequestMethod.METHOD_UNSPECIFIED
            ? "GET"
            : request.getRequestMethod().name();
    Pipeline pipeline = routing == null ? null : routing.get();
    RequestView view =
        pipeline == null
            ? RequestView.of(method, request.getPath(), Map.of(), BodyView.EMPTY)
            : pipeline.view(method, request.getPath(), Map.of(), new byte[0], 0);
    String pool = request.getRequestHeadersOrDefault(WireContract.POOL_HEADER, "");
    double confidence =
        pipeline == null
            ? 1.0
            : pipeline.config().rules().stream()
                .filter(r -> r.name().equals(rule))
                .mapToDouble(Rule::confidence)
                .findFirst()
                .orElse(1.0);
    String reason =
        "rule '"
            + rule
            + "' in Envoy's route table"
            + (weight > 1 ? " (1 in " + weight + " logged)" : "");
    decisions.onSampledDecision(
        view, new Decision(pool, confidence, Stage.ENVOY_ROUTE, reason), weight);
    return CostKey.of(view);
  }

  /**
   * The cost key and weight ext-proc-service set on the entry's request ({@link CostKeyHeader}).
   */
  private static CostKeyHeader.Weighted reported(HTTPAccessLogEntry entry) {
    return CostKeyHeader.parse(
        entry.getRequest().getRequestHeadersOrDefault(WireContract.COST_KEY_HEADER, ""));
  }

  /**
   * The sample of one entry under {@code reported} key and weight (a native route's entry: weight
   * 1, the caller counts its weight); null for a blank key or a request left out of the feedback
   * (weight 0).
   */
  static CostSample sample(HTTPAccessLogEntry entry, CostKeyHeader.Weighted reported) {
    String key = reported.key();
    if (key.isBlank() || reported.weight() == 0) {
      return null;
    }
    AccessLogCommon common = entry.getCommonProperties();
    double upstream =
        common.hasTimeToFirstUpstreamTxByte() && common.hasTimeToLastUpstreamRxByte()
            ? millis(common.getTimeToLastUpstreamRxByte())
                - millis(common.getTimeToFirstUpstreamTxByte())
            : Double.NaN;
    return new CostSample(
        key,
        entry.getRequest().getRequestHeadersOrDefault(WireContract.POOL_HEADER, ""),
        upstream >= 0 ? upstream : Double.NaN,
        ServerTiming.millis(
            entry
                .getResponse()
                .getResponseHeadersOrDefault(WireContract.SERVER_TIMING_HEADER, null)),
        status(entry),
        entry.getResponse().getResponseBodyBytes(),
        reported.weight());
  }

  /**
   * The response's status: the HTTP code (0 if none), or for a gRPC call that failed the HTTP
   * equivalent of its {@code grpc-status} (a trailer, or a header of a trailers-only answer).
   */
  private static int status(HTTPAccessLogEntry entry) {
    var response = entry.getResponse();
    int http = response.hasResponseCode() ? response.getResponseCode().getValue() : 0;
    String grpc =
        response.getResponseTrailersOrDefault(
            WireContract.GRPC_STATUS,
            response.getResponseHeadersOrDefault(WireContract.GRPC_STATUS, null));
    return GrpcOutcome.httpStatus(http, grpc);
  }

  private static double millis(Duration d) {
    return d.getSeconds() * 1000.0 + d.getNanos() / 1e6;
  }

  /** Entries received on semlb's log stream. */
  public long entries() {
    return entries.sum();
  }

  /** Entries of requests that native routes decided in Envoy's route table. */
  public long nativeRouted() {
    return nativeEntries.sum();
  }

  /**
   * The requests native routes decided, estimated from the sampled entries: each entry counts as
   * its weight.
   */
  public long nativeRoutedEstimate() {
    return nativeWeighted.sum();
  }

  /** Entries without a cost key (not classified: failed open, or not routed by semlb). */
  public long unkeyed() {
    return unkeyed.sum();
  }

  /**
   * Entries that stand for more than one ext_proc-routed request ({@link
   * dev.semlb.classifier.cost.FeedbackSampling}: keys with plenty of evidence are sampled).
   */
  public long weightedEntries() {
    return weighted.sum();
  }

  /**
   * Entries of ext_proc-routed requests that ext-proc-service left out of the feedback (weight 0)
   * but Envoy's native-route sample logged anyway; ignored, as the weighted entries stand for them.
   */
  public long sampledOut() {
    return sampledOut.sum();
  }

  /** Entries on streams of other access logs, ignored. */
  public long foreign() {
    return foreign.sum();
  }
}
