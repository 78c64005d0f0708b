package dev.semlb.extproc.processing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.semlb.classifier.models.ModelSelection;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ext_proc stream of the upstream model filter, which Envoy opens per attempt after choosing
 * the host (a fallback pool's host, or the host a retry landed on). Transport only: the rewrite is
 * {@link ModelSelection#forHost}.
 *
 * <p>Phases: the request headers bring the chosen host's model ({@value
 * WireContract#HOST_MODEL_ATTRIBUTE}, from its endpoint metadata) and, from the downstream filter,
 * the model the body names ({@value WireContract#MODEL_HEADER}, removed here so the host never sees
 * it). When that is the host's model (the common case: the pool's own host, first attempt), or the
 * host has none, or for an upgrade or with model handling off, the answer is body mode NONE, so
 * Envoy sends no body and the attempt costs one headers exchange. Otherwise the buffered body is
 * read whole (at most {@link #MAX_BODY_BYTES}, Envoy's own request limit; a larger one goes on
 * unchanged) and answered with the rewritten body and {@code content-length}, or "continue".
 *
 * <p>Failure: anything thrown is logged and answered "continue", so the attempt goes out as it
 * came. Threading: gRPC delivers a stream's callbacks serially and every answer is sent from that
 * callback (no asynchronous work), so no state is shared between threads.
 */
final class AttemptStream implements StreamObserver<ProcessingRequest> {

  /** The largest body read; Envoy's buffer filter refuses larger requests (envoy/envoy.yaml). */
  static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AttemptStream.class);

  private final ServerCallStreamObserver<ProcessingResponse> out;
  private final Supplier<ModelSelection> models;
  private final String id;
  private ModelSelection selection = ModelSelection.OFF;
  private RequestHeaders headers;
  private String hostModel = "";
  private ByteString body = ByteString.EMPTY;
  private boolean tooLarge;

  AttemptStream(
      ServerCallStreamObserver<ProcessingResponse> out,
      Supplier<ModelSelection> models,
      String id) {
    this.out = out;
    this.models = models;
    this.id = id;
  }

  @Override
  public void onNext(ProcessingRequest request) {
    ProcessingResponse response;
    try {
      response =
          switch (request.getRequestCase()) {
            case REQUEST_HEADERS -> onHeaders(request);
            case REQUEST_BODY -> onBody(request.getRequestBody());
            default -> Responses.passThrough(request);
          };
    } catch (RuntimeException | StackOverflowError e) {
      log.warn("[{}] attempt failed in phase {}; continuing", id, request.getRequestCase(), e);
      response = Responses.passThrough(request);
    }
    if (response != null && !out.isCancelled()) {
      out.onNext(response);
    }
  }

  private ProcessingResponse onHeaders(ProcessingRequest request) {
    HttpHeaders httpHeaders = request.getRequestHeaders();
    headers = RequestHeaders.from(httpHeaders);
    selection = models.get();
    hostModel = hostModel(request);
    // The body's model as the downstream filter left it; the header never reaches the host.
    String bodyModel = headers.headers().get(WireContract.MODEL_HEADER);
    CommonResponse common =
        bodyModel == null
            ? CommonResponse.getDefaultInstance()
            : Responses.withoutHeader(
                CommonResponse.getDefaultInstance(), WireContract.MODEL_HEADER);
    if (httpHeaders.getEndOfStream()) {
      return Responses.requestHeaders(common);
    }
    if (!selection.enabled()
        || hostModel.isEmpty()
        || hostModel.equals(bodyModel)
        || headers.headers().containsKey("upgrade")) {
      return Responses.requestHeadersWithoutBody(common);
    }
    return Responses.requestHeaders(common);
  }

  private ProcessingResponse onBody(HttpBody chunk) {
    if (headers == null) {
      return Responses.continueRequestBody();
    }
    if (!tooLarge) {
      if (body.size() + (long) chunk.getBody().size() > MAX_BODY_BYTES) {
        tooLarge = true;
        body = ByteString.EMPTY;
      } else {
        body = body.concat(chunk.getBody());
      }
    }
    if (!chunk.getEndOfStream() || tooLarge) {
      return Responses.continueRequestBody();
    }
    byte[] rewritten =
        selection.forHost(hostModel, headers.headers(), body.toByteArray()).orElse(null);
    body = ByteString.EMPTY;
    if (rewritten == null) {
      return Responses.continueRequestBody();
    }
    log.debug("[{}] attempt to a host serving {}: model rewritten", id, hostModel);
    return Responses.requestBody(
        Responses.withBody(
            CommonResponse.getDefaultInstance(), rewritten, headers.contentLength() >= 0));
  }

  /**
   * The chosen host's model, from the request's attributes (Envoy files them under the ext_proc
   * filter's name, keyed by the attribute's expression); "" when absent.
   */
  static String hostModel(ProcessingRequest request) {
    for (Struct attributes : request.getAttributesMap().values()) {
      Value value = attributes.getFieldsMap().get(WireContract.HOST_MODEL_ATTRIBUTE);
      if (value != null && value.hasStringValue()) {
        return value.getStringValue();
      }
    }
    return "";
  }

  @Override
  public void onError(Throwable t) {
    Status status = Status.fromThrowable(t);
    if (status.getCode() == Status.Code.CANCELLED) {
      log.debug("[{}] attempt stream cancelled by Envoy", id);
    } else {
      log.info("[{}] attempt stream ended with {}", id, status);
    }
  }

  @Override
  public void onCompleted() {
    if (!out.isCancelled()) {
      out.onCompleted();
    }
  }
}
