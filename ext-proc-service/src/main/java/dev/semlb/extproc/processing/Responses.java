package dev.semlb.extproc.processing;

import com.google.protobuf.ByteString;
import dev.semlb.classifier.Decision;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.TrailersResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;

/**
 * Builds ext_proc responses: the routing mutation for a {@link Decision}, and plain "continue
 * unchanged" answers for phases semlb does not act on. Stateless.
 */
final class Responses {

  private static final CommonResponse CONTINUE = CommonResponse.getDefaultInstance();

  private Responses() {}

  /**
   * Sets the pool header (overwriting any value) and asks Envoy to re-pick the route, so its route
   * table can match the header. Only {@code raw_value} is set: Envoy rejects a header that has both
   * {@code value} and {@code raw_value}. When {@code decisionHeader} is not null it is also set, to
   * {@code stage=<stage>; confidence=<0.00>}: only the stage name and a number, never
   * request-derived text. The request's cost key is set too ({@link WireContract#COST_KEY_HEADER},
   * method and path template only, with its feedback weight when sampled), so that Envoy's access
   * log reports what it cost.
   */
  static CommonResponse route(
      String header, Decision decision, String decisionHeader, String costKey) {
    HeaderMutation.Builder mutation =
        HeaderMutation.newBuilder()
            .addSetHeaders(set(header, decision.pool()))
            .addSetHeaders(set(WireContract.COST_KEY_HEADER, costKey));
    if (decisionHeader != null) {
      mutation.addSetHeaders(
          set(
              decisionHeader,
              String.format(
                  java.util.Locale.ROOT,
                  "stage=%s; confidence=%.2f",
                  decision.stage().label(),
                  decision.confidence())));
    }
    return CommonResponse.newBuilder().setHeaderMutation(mutation).setClearRouteCache(true).build();
  }

  /**
   * {@code route} with the request body replaced by {@code body}. When the request declared a
   * {@code content-length} it is set to the new length: with request headers SEND and the body
   * BUFFERED, Envoy leaves keeping it right to the processor (ext_proc's {@code BodySendMode}). A
   * request without one (chunked, or HTTP/2 without it) goes on without one.
   */
  static CommonResponse withBody(CommonResponse route, byte[] body, boolean hadContentLength) {
    CommonResponse.Builder common =
        route.toBuilder()
            .setBodyMutation(BodyMutation.newBuilder().setBody(ByteString.copyFrom(body)));
    if (hadContentLength) {
      common
          .getHeaderMutationBuilder()
          .addSetHeaders(set("content-length", Integer.toString(body.length)));
    }
    return common.build();
  }

  /** {@code common} with {@code name} set to {@code value} (overwriting any value). */
  static CommonResponse withHeader(CommonResponse common, String name, String value) {
    CommonResponse.Builder builder = common.toBuilder();
    builder.getHeaderMutationBuilder().addSetHeaders(set(name, value));
    return builder.build();
  }

  /** {@code common} with {@code name} removed from the request. */
  static CommonResponse withoutHeader(CommonResponse common, String name) {
    CommonResponse.Builder builder = common.toBuilder();
    builder.getHeaderMutationBuilder().addRemoveHeaders(name);
    return builder.build();
  }

  /**
   * Answers the request at once, without an upstream: {@code status} with a JSON body (the model
   * list, an OpenAI-style error). The body's length is Envoy's to set.
   */
  static ProcessingResponse immediateJson(int status, byte[] json, String details) {
    return ProcessingResponse.newBuilder()
        .setImmediateResponse(
            ImmediateResponse.newBuilder()
                .setStatus(HttpStatus.newBuilder().setCodeValue(status))
                .setHeaders(
                    HeaderMutation.newBuilder()
                        .addSetHeaders(set("content-type", "application/json")))
                .setBody(ByteString.copyFrom(json))
                .setDetails(details))
        .build();
  }

  private static HeaderValueOption set(String key, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(key).setRawValue(ByteString.copyFromUtf8(value)))
        .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .build();
  }

  static ProcessingResponse requestHeaders(CommonResponse common) {
    return ProcessingResponse.newBuilder()
        .setRequestHeaders(HeadersResponse.newBuilder().setResponse(common))
        .build();
  }

  /**
   * As {@link #requestHeaders}, telling Envoy not to send a body (an upgrade: its bytes flow only
   * after the upstream's 101, so waiting for them would stall the request until the timeout; a
   * streaming gRPC call: its client may wait for answers before it ends the stream). The override
   * states the whole mode, the filter's own but for the request body, so no phase the unset fields'
   * defaults would ask for (response headers) costs a round trip.
   */
  static ProcessingResponse requestHeadersWithoutBody(CommonResponse common) {
    return ProcessingResponse.newBuilder()
        .setRequestHeaders(HeadersResponse.newBuilder().setResponse(common))
        .setModeOverride(WITHOUT_BODY)
        .build();
  }

  private static final ProcessingMode WITHOUT_BODY =
      ProcessingMode.newBuilder()
          .setRequestHeaderMode(ProcessingMode.HeaderSendMode.SEND)
          .setRequestBodyMode(ProcessingMode.BodySendMode.NONE)
          .setRequestTrailerMode(ProcessingMode.HeaderSendMode.SKIP)
          .setResponseHeaderMode(ProcessingMode.HeaderSendMode.SKIP)
          .setResponseBodyMode(ProcessingMode.BodySendMode.NONE)
          .setResponseTrailerMode(ProcessingMode.HeaderSendMode.SKIP)
          .build();

  static ProcessingResponse requestBody(CommonResponse common) {
    return ProcessingResponse.newBuilder()
        .setRequestBody(BodyResponse.newBuilder().setResponse(common))
        .build();
  }

  /** The "continue unchanged" answer for whatever phase {@code request} is; null for none. */
  static ProcessingResponse passThrough(ProcessingRequest request) {
    return switch (request.getRequestCase()) {
      case REQUEST_HEADERS -> continueRequestHeaders();
      case REQUEST_BODY -> continueRequestBody();
      case REQUEST_TRAILERS -> continueRequestTrailers();
      case RESPONSE_HEADERS -> continueResponseHeaders();
      case RESPONSE_BODY -> continueResponseBody();
      case RESPONSE_TRAILERS -> continueResponseTrailers();
      default -> null; // nothing to answer
    };
  }

  static ProcessingResponse continueRequestHeaders() {
    return requestHeaders(CONTINUE);
  }

  static ProcessingResponse continueRequestBody() {
    return requestBody(CONTINUE);
  }

  static ProcessingResponse continueRequestTrailers() {
    return ProcessingResponse.newBuilder()
        .setRequestTrailers(TrailersResponse.getDefaultInstance())
        .build();
  }

  static ProcessingResponse continueResponseHeaders() {
    return ProcessingResponse.newBuilder()
        .setResponseHeaders(HeadersResponse.newBuilder().setResponse(CONTINUE))
        .build();
  }

  static ProcessingResponse continueResponseBody() {
    return ProcessingResponse.newBuilder()
        .setResponseBody(BodyResponse.newBuilder().setResponse(CONTINUE))
        .build();
  }

  static ProcessingResponse continueResponseTrailers() {
    return ProcessingResponse.newBuilder()
        .setResponseTrailers(TrailersResponse.getDefaultInstance())
        .build();
  }
}
