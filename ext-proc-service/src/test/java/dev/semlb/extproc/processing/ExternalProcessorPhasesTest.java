package dev.semlb.extproc.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which phase routes a request, what each answer sets, and that response phases pass through. */
class ExternalProcessorPhasesTest extends InProcessExtProc {

  @Test
  void headersOnlyRequest_isRoutedAtTheHeadersPhase() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);

    requests.onNext(headers("GET", "/healthz", null, true));

    ProcessingResponse response = recorder.next();
    assertThat(response.hasRequestHeaders()).isTrue();
    assertThat(routedPool(response.getRequestHeaders().getResponse())).isEqualTo("fast-path");
    requests.onCompleted();
  }

  @Test
  void upgrade_isRoutedAtTheHeadersPhase_andEnvoyIsToldNotToWaitForABody() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);

    requests.onNext(
        headers("GET", "/healthz", null, false, "upgrade", "websocket", "connection", "Upgrade"));

    ProcessingResponse response = recorder.next();
    assertThat(response.hasRequestHeaders()).isTrue();
    assertThat(routedPool(response.getRequestHeaders().getResponse())).isEqualTo("fast-path");
    assertThat(response.getModeOverride().getRequestBodyMode())
        .isEqualTo(ProcessingMode.BodySendMode.NONE);
    requests.onCompleted();
  }

  @Test
  void ordinaryRequestWithBody_setsNoModeOverride() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);

    requests.onNext(headers("POST", "/", "application/json", false));

    assertThat(recorder.next().hasModeOverride()).isFalse();
    requests.onCompleted();
  }

  @Test
  void requestWithBody_continuesHeaders_thenRoutesOnTheBufferedBody() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);

    requests.onNext(headers("POST", "/", "application/json", false));
    ProcessingResponse first = recorder.next();
    requests.onNext(body("{\"operation\": \"ML_INFERENCE\", \"inputs\": [0.1, 0.2]}"));
    ProcessingResponse second = recorder.next();

    assertThat(first.hasRequestHeaders()).isTrue();
    assertThat(routedPool(first.getRequestHeaders().getResponse())).isNull();
    assertThat(second.hasRequestBody()).isTrue();
    assertThat(routedPool(second.getRequestBody().getResponse())).isEqualTo("high-compute");
  }

  @Test
  void emptyBody_isRoutedOnHeadersAlone() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);

    requests.onNext(
        headers("POST", "/api/orders", "application/json", true, "content-length", "0"));

    ProcessingResponse response = recorder.next();
    assertThat(routedPool(response.getRequestHeaders().getResponse())).isEqualTo("general");
    assertThat(
            response.getRequestHeaders().getResponse().getHeaderMutation().getRemoveHeadersList())
        .isEmpty();
  }

  @Test
  void bodyInChunks_isRoutedWhenTheLastChunkArrives() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);

    requests.onNext(headers("POST", "/rpc", "application/json", false));
    recorder.next();
    requests.onNext(body("{\"batch\": [{\"op\":".getBytes(StandardCharsets.UTF_8), false));
    ProcessingResponse partial = recorder.next();
    requests.onNext(body(" \"ingest\"}]}".getBytes(StandardCharsets.UTF_8), true));
    ProcessingResponse last = recorder.next();

    assertThat(routedPool(partial.getRequestBody().getResponse())).isNull();
    assertThat(routedPool(last.getRequestBody().getResponse())).isEqualTo("high-compute");
  }

  @Test
  void clientSentPoolHeader_isNotWhatDecides() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);

    requests.onNext(headers("GET", "/healthz", null, true, "x-semantic-pool", "high-compute"));

    assertThat(routedPool(recorder.next().getRequestHeaders().getResponse()))
        .isEqualTo("fast-path");
  }

  @Test
  void responsePhases_passThroughUnchanged() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);

    requests.onNext(
        ProcessingRequest.newBuilder()
            .setResponseHeaders(
                HttpHeaders.newBuilder()
                    .setHeaders(HeaderMap.newBuilder().addHeaders(raw(":status", "200"))))
            .build());

    ProcessingResponse response = recorder.next();
    assertThat(response.hasResponseHeaders()).isTrue();
    assertThat(response.getResponseHeaders().getResponse())
        .isEqualTo(CommonResponse.getDefaultInstance());
  }

  @Test
  void streamCompletes_whenEnvoyHalfCloses() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);
    requests.onNext(headers("GET", "/", null, true));
    recorder.next();

    requests.onCompleted();

    assertThat(recorder.completed).isTrue();
  }

  @Test
  void decisionHeader_carriesStageAndConfidence_whenEnabled() {
    CommonResponse common =
        Responses.route(
            WireContract.POOL_HEADER,
            new dev.semlb.classifier.Decision(
                "general", 0.5, dev.semlb.classifier.Stage.EMBEDDING, "reason <b>"),
            WireContract.DECISION_HEADER,
            "GET /v1/users/{id}");

    assertThat(common.getHeaderMutation().getSetHeadersList()).hasSize(3);
    HeaderValue key = common.getHeaderMutation().getSetHeaders(1).getHeader();
    assertThat(key.getKey()).isEqualTo(WireContract.COST_KEY_HEADER);
    assertThat(key.getRawValue().toStringUtf8()).isEqualTo("GET /v1/users/{id}");
    HeaderValue decision = common.getHeaderMutation().getSetHeaders(2).getHeader();
    assertThat(decision.getKey()).isEqualTo("x-semantic-decision");
    assertThat(decision.getRawValue().toStringUtf8()).isEqualTo("stage=embedding; confidence=0.50");
  }
}
