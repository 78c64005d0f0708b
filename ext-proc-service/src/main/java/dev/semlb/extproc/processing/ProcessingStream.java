package dev.semlb.extproc.processing;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.google.protobuf.ByteString;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.models.ModelPlan;
import dev.semlb.classifier.models.ModelSelection;
import dev.semlb.classifier.view.GrpcMethod;
import dev.semlb.classifier.view.RequestView;
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
 * One ext_proc stream, which Envoy opens per HTTP request. It only tracks phases and turns a {@link
 * Decision} into a response; classifying is the {@link Pipeline}'s job.
 *
 * <p>Phases: a request without a body ({@code end_of_stream} on its headers) is classified at the
 * headers phase, and so are upgrades and gRPC calls whose message the routing table does not read
 * ({@link dev.semlb.classifier.view.GrpcSchema#readsBody}), whose answer tells Envoy to send no
 * body. Otherwise the headers are answered "continue" and the request is classified when the
 * buffered body arrives with {@code end_of_stream}; its answer carries the header mutation, which
 * Envoy can still apply because in BUFFERED mode the headers have not been forwarded yet. Response
 * phases, if Envoy is configured to send them, pass through unchanged.
 *
 * <p>Models (LLM gateway, when the pools file names them; {@link ModelSelection}): {@code GET
 * /v1/models} is answered at the headers phase with an immediate response. A body's {@code model}
 * is read from the whole buffered body: a pool's model routes there without classification, an
 * alias is classified and the body's {@code model} replaced (with {@code content-length}) in the
 * body-phase answer, an unknown model is answered with an error (or, as configured, routed to the
 * default pool).
 *
 * <p>Failure: anything thrown while handling a phase is logged and answered "continue" without a
 * mutation, so the request takes the default route and the stream stays healthy. Only the first
 * {@code maxBodyBytes} of a body are kept.
 *
 * <p>Threading: gRPC delivers one stream's callbacks serially (on Netty's event loop). Rules and
 * cache decide on that thread in microseconds; a request that needs the model stages is answered
 * from the thread its last model call completed on (the inference or LLM executor), and no thread
 * waits for it. At most one answer is outstanding at a time, and writes to {@code out} are
 * serialized by {@code this}.
 */
final class ProcessingStream implements StreamObserver<ProcessingRequest> {

  private static final Logger log = LoggerFactory.getLogger(ProcessingStream.class);

  /** Written to from the event loop and from the executor that finished a model call. */
  @GuardedBy("this")
  private final ServerCallStreamObserver<ProcessingResponse> out;

  private final Supplier<Pipeline> tables;
  private final Supplier<ModelSelection> models;
  private final DecisionListener listener;
  private final CostReporting reporting;
  private final String header;
  private final String decisionHeader;
  private final String id;
  private Pipeline table;
  private ModelSelection selection = ModelSelection.OFF;
  private RequestHeaders headers;
  private ByteString body = ByteString.EMPTY;
  // The whole body, kept only while model selection is on (it may rewrite the body).
  private ByteString whole = ByteString.EMPTY;
  private long bodySize;
  private boolean decided;
  // The request is an upgrade or a gRPC call decided on its headers, with no body to wait for.
  private boolean bodyless;

  ProcessingStream(
      ServerCallStreamObserver<ProcessingResponse> out,
      Supplier<Pipeline> tables,
      Supplier<ModelSelection> models,
      DecisionListener listener,
      CostReporting reporting,
      String header,
      String decisionHeader,
      String id) {
    this.decisionHeader = decisionHeader;
    this.reporting = reporting;
    this.out = out;
    this.tables = tables;
    this.models = models;
    this.listener = listener;
    this.header = header;
    this.id = id;
  }

  @Override
  public void onNext(ProcessingRequest request) {
    ProcessingResponse response;
    try {
      response = handle(request);
    } catch (RuntimeException | StackOverflowError e) {
      log.warn(
          "[{}] failed in phase {}; continuing without routing", id, request.getRequestCase(), e);
      listener.onStreamError();
      response = Responses.passThrough(request);
    }
    if (response != null) {
      send(response);
    }
  }

  private synchronized void send(ProcessingResponse response) {
    if (!out.isCancelled()) {
      out.onNext(response);
    }
  }

  private ProcessingResponse handle(ProcessingRequest request) {
    switch (request.getRequestCase()) {
      case REQUEST_HEADERS:
        return onRequestHeaders(request.getRequestHeaders());
      case REQUEST_BODY:
        return onRequestBody(request.getRequestBody());
      default:
        return Responses.passThrough(request);
    }
  }

  private ProcessingResponse onRequestHeaders(HttpHeaders httpHeaders) {
    headers = RequestHeaders.from(httpHeaders);
    table = tables.get();
    selection = models.get();
    if (selection.enabled()
        && selection.plan(headers.method(), headers.path()) instanceof ModelPlan.Answer answer) {
      decided = true;
      return Responses.immediateJson(answer.status(), answer.json(), "semlb_models");
    }
    if (httpHeaders.getEndOfStream()) {
      decide(true, null, null);
      return null;
    }
    if (headers.headers().containsKey("upgrade") || grpcWithoutBody()) {
      // An upgrade (WebSocket): no body comes before the upstream answers. A gRPC call whose
      // message the config cannot read (no descriptor set, unknown method) or must not wait for
      // (client streaming: it may wait for answers before it ends its stream): its service and
      // method decide. Decide on the headers and tell Envoy not to wait for a body (the filter
      // allows the mode override).
      bodyless = true;
      decide(true, null, null);
      return null;
    }
    return Responses.continueRequestHeaders();
  }

  /** Whether the request is a gRPC call whose body the routing table would not read. */
  private boolean grpcWithoutBody() {
    String target = headers.path();
    int q = target.indexOf('?');
    GrpcMethod call =
        GrpcMethod.of(
            RequestView.mediaType(headers.get("content-type")),
            q < 0 ? target : target.substring(0, q));
    return call != null && !table.config().grpc().readsBody(call);
  }

  private ProcessingResponse onRequestBody(HttpBody chunk) {
    if (headers == null || decided) {
      return Responses.continueRequestBody();
    }
    ByteString data = chunk.getBody();
    bodySize += data.size();
    int room = table.config().limits().maxBodyBytes() - body.size();
    if (room > 0 && !data.isEmpty()) {
      body = body.concat(data.size() <= room ? data : data.substring(0, room));
    }
    if (selection.enabled()) {
      whole = whole.concat(data);
    }
    if (!chunk.getEndOfStream()) {
      return Responses.continueRequestBody();
    }
    if (!selection.enabled()) {
      decide(false, null, null);
      return null;
    }
    byte[] bytes = whole.toByteArray();
    whole = ByteString.EMPTY;
    ModelPlan plan = selection.plan(headers.headers(), bytes, table.config().defaultPool());
    if (plan instanceof ModelPlan.Answer answer) {
      decided = true;
      return Responses.immediateJson(answer.status(), answer.json(), "semlb_model_not_served");
    }
    if (plan instanceof ModelPlan.Route direct) {
      decided = true;
      RequestView view = view();
      listener.onDecision(view, direct.decision(), 0);
      return Responses.requestBody(
          Responses.withHeader(
              Responses.route(header, direct.decision(), decisionHeader, reporting.header(view)),
              WireContract.MODEL_HEADER,
              direct.model()));
    }
    decide(false, plan instanceof ModelPlan.Choose choose ? choose : null, bytes);
    return null;
  }

  private RequestView view() {
    RequestView view =
        table.view(
            headers.method(),
            headers.path(),
            headers.headers(),
            body.toByteArray(),
            bodySize == 0 ? 0 : Math.max(bodySize, headers.contentLength()));
    body = ByteString.EMPTY;
    return view;
  }

  /**
   * Classifies and answers the current phase, now or when the slow stages finish; with {@code
   * choose}, also replaces the model in {@code fullBody} by the chosen pool's.
   */
  private void decide(boolean headersPhase, ModelPlan.Choose choose, byte[] fullBody) {
    decided = true;
    RequestView view = view();
    long start = System.nanoTime();
    table
        .classifier()
        .classifyAsync(view)
        .whenComplete(
            (decision, error) -> {
              if (error != null || decision == null) {
                log.warn("[{}] classification failed; continuing without routing", id, error);
                listener.onStreamError();
                send(
                    !headersPhase
                        ? Responses.continueRequestBody()
                        : bodyless
                            ? Responses.requestHeadersWithoutBody(
                                CommonResponse.getDefaultInstance())
                            : Responses.continueRequestHeaders());
                return;
              }
              listener.onDecision(view, decision, System.nanoTime() - start);
              if (log.isDebugEnabled()) {
                log.debug(
                    "[{}] {} {} -> {} ({}, {}, confidence {})",
                    id,
                    view.method(),
                    view.path(),
                    decision.pool(),
                    decision.stage().label(),
                    decision.reason(),
                    decision.confidence());
              }
              CommonResponse route =
                  Responses.route(header, decision, decisionHeader, reporting.header(view));
              if (choose != null) {
                byte[] rewritten = choose.rewrite(fullBody, decision).orElse(null);
                if (rewritten != null) {
                  route = Responses.withBody(route, rewritten, headers.contentLength() >= 0);
                }
                route =
                    Responses.withHeader(
                        route, WireContract.MODEL_HEADER, choose.modelFor(decision));
              }
              send(
                  !headersPhase
                      ? Responses.requestBody(route)
                      : bodyless
                          ? Responses.requestHeadersWithoutBody(route)
                          : Responses.requestHeaders(route));
            });
  }

  @Override
  public void onError(Throwable t) {
    Status status = Status.fromThrowable(t);
    boolean cancelled = status.getCode() == Status.Code.CANCELLED;
    listener.onStreamClosed(!cancelled);
    if (cancelled) {
      log.debug("[{}] cancelled by Envoy", id);
    } else {
      log.info("[{}] stream ended with {}", id, status);
    }
  }

  @Override
  public synchronized void onCompleted() {
    listener.onStreamClosed(false);
    if (!out.isCancelled()) {
      out.onCompleted();
    }
  }
}
