package dev.semlb.extproc.processing;

import dev.semlb.extproc.usage.Observation;
import dev.semlb.extproc.usage.ResponseObserver;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream of the observing ext_proc filter (LLM usage, observability mode): hands each phase to
 * a {@link ResponseObserver} and its {@link Observation} to the sink once, when the response ends
 * or the stream does. Never answers a message (Envoy ignores answers in this mode and does not wait
 * for them); once the response has ended it closes the stream, so Envoy can release it before its
 * deferred close. Bodies are read by the observer and never logged or kept.
 *
 * <p>Threading: gRPC delivers one stream's callbacks serially; writes to {@code out} happen only
 * from those callbacks, so no lock is needed.
 */
final class ObservedStream implements StreamObserver<ProcessingRequest> {

  private static final Logger log = LoggerFactory.getLogger(ObservedStream.class);

  private final ServerCallStreamObserver<ProcessingResponse> out;
  private final ResponseObserver observer;
  private final Consumer<Observation> sink;
  private final LongSupplier nanoTime;
  private final String id;
  private boolean finished;

  ObservedStream(
      ServerCallStreamObserver<ProcessingResponse> out,
      String pool,
      Consumer<Observation> sink,
      LongSupplier nanoTime,
      String id) {
    this.out = out;
    this.observer = new ResponseObserver(pool);
    this.sink = sink;
    this.nanoTime = nanoTime;
    this.id = id;
  }

  @Override
  public void onNext(ProcessingRequest request) {
    if (finished) {
      return;
    }
    try {
      switch (request.getRequestCase()) {
        case REQUEST_HEADERS -> observer.onRequestHeaders(nanoTime.getAsLong());
        case RESPONSE_HEADERS -> {
          HttpHeaders headers = request.getResponseHeaders();
          observer.onResponseHeaders(
              status(header(headers, ":status")),
              header(headers, "content-type"),
              header(headers, "content-encoding"),
              headers.getEndOfStream());
        }
        case RESPONSE_BODY ->
            observer.onResponseBody(
                request.getResponseBody().getBody().asReadOnlyByteBuffer(),
                request.getResponseBody().getEndOfStream(),
                nanoTime.getAsLong());
        case RESPONSE_TRAILERS -> observer.onResponseTrailers();
        default -> {}
      }
    } catch (RuntimeException e) {
      log.warn("[{}] usage observation failed in phase {}", id, request.getRequestCase(), e);
      finish();
      return;
    }
    if (observer.complete()) {
      finish();
    }
  }

  /** Records the observation once and closes the stream. */
  private void finish() {
    if (finished) {
      return;
    }
    record();
    if (!out.isCancelled()) {
      out.onCompleted();
    }
  }

  private void record() {
    finished = true;
    try {
      sink.accept(observer.observation());
    } catch (RuntimeException e) {
      log.warn("[{}] recording usage failed", id, e);
    }
  }

  private static String header(HttpHeaders headers, String name) {
    for (HeaderValue h : headers.getHeaders().getHeadersList()) {
      if (h.getKey().equals(name)) {
        return h.getRawValue().isEmpty() ? h.getValue() : h.getRawValue().toStringUtf8();
      }
    }
    return null;
  }

  private static int status(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void onError(Throwable t) {
    // Envoy resets the stream at its deferred close: normal when the response never ended.
    log.debug("[{}] usage stream ended: {}", id, Status.fromThrowable(t));
    if (!finished) {
      record();
    }
  }

  @Override
  public void onCompleted() {
    finish();
  }
}
