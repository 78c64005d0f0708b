package dev.semlb.extproc.feedback;

import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** Feeds access-log entries to a {@link FeedbackReceiver} directly, as one batch of Envoy's. */
final class AccessLogs {

  private AccessLogs() {}

  /**
   * One stream named {@link WireContract#FEEDBACK_LOG_NAME} carrying {@code entries}, then closed.
   */
  static void send(FeedbackReceiver receiver, HTTPAccessLogEntry... entries) {
    StreamObserver<StreamAccessLogsMessage> in =
        receiver.streamAccessLogs(
            new StreamObserver<StreamAccessLogsResponse>() {
              @Override
              public void onNext(StreamAccessLogsResponse value) {}

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    in.onNext(
        StreamAccessLogsMessage.newBuilder()
            .setIdentifier(
                StreamAccessLogsMessage.Identifier.newBuilder()
                    .setLogName(WireContract.FEEDBACK_LOG_NAME))
            .setHttpLogs(
                StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder()
                    .addAllLogEntry(List.of(entries)))
            .build());
    in.onCompleted();
  }

  /**
   * What {@code meters} counted as {@link FeedbackReceiver#RESPONSES} of {@code pool} and {@code
   * code}.
   */
  static double responses(MeterRegistry meters, String pool, String code) {
    return meters
        .get(FeedbackReceiver.RESPONSES)
        .tags("pool", pool, "code", code)
        .counter()
        .count();
  }
}
