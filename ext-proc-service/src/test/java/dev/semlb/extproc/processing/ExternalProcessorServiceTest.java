package dev.semlb.extproc.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream handler against a real gRPC stub, over the in-process transport. */
class ExternalProcessorServiceTest {

  private static final Path ROUTING =
      Path.of(System.getProperty("semlb.repoRoot", "..")).resolve("config/routing.yaml");

  private final AtomicReference<Pipeline> table = new AtomicReference<>();
  private Server server;
  private ManagedChannel channel;
  private ExternalProcessorGrpc.ExternalProcessorStub stub;

  @BeforeEach
  void start() throws Exception {
    table.set(Pipeline.build(RoutingConfigLoader.load(ROUTING)));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new ExternalProcessorService(table::get))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = ExternalProcessorGrpc.newStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A client stream that records what the service answers. */
  private static final class Recorder implements StreamObserver<ProcessingResponse> {
    final BlockingQueue<ProcessingResponse> responses = new LinkedBlockingQueue<>();
    volatile Throwable error;
    volatile boolean completed;

    @Override
    public void onNext(ProcessingResponse value) {
      responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {
      completed = true;
    }

    ProcessingResponse next() throws InterruptedException {
      ProcessingResponse r = responses.poll(5, TimeUnit.SECONDS);
      assertThat(r).as("a response from the service").isNotNull();
      return r;
    }
  }

  private static ProcessingRequest headers(
      String method, String path, String contentType, boolean endOfStream, String... extra) {
    HeaderMap.Builder map =
        HeaderMap.newBuilder()
            .addHeaders(raw(":method", method))
            .addHeaders(raw(":path", path))
            .addHeaders(raw(":authority", "example.org"));
    if (contentType != null) {
      map.addHeaders(raw("content-type", contentType));
    }
    for (int i = 0; i < extra.length; i += 2) {
      map.addHeaders(raw(extra[i], extra[i + 1]));
    }
    return ProcessingRequest.newBuilder()
        .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(map).setEndOfStream(endOfStream))
        .build();
  }

  private static HeaderValue raw(String key, String value) {
    return HeaderValue.newBuilder().setKey(key).setRawValue(ByteString.copyFromUtf8(value)).build();
  }

  private static ProcessingRequest body(byte[] bytes, boolean endOfStream) {
    return ProcessingRequest.newBuilder()
        .setRequestBody(
            HttpBody.newBuilder().setBody(ByteString.copyFrom(bytes)).setEndOfStream(endOfStream))
        .build();
  }

  private static ProcessingRequest body(String text) {
    return body(text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** The pool a response routes to, or null when it sets no header. */
  private static String routedPool(CommonResponse common) {
    List<HeaderValueOption> set = common.getHeaderMutation().getSetHeadersList();
    if (set.isEmpty()) {
      return null;
    }
    assertThat(set).as("the pool and the cost key").hasSize(2);
    assertThat(set.get(1).getHeader().getKey()).isEqualTo(WireContract.COST_KEY_HEADER);
    assertThat(set.get(1).getHeader().getRawValue().toStringUtf8()).matches("[A-Z]+ /\\S*.*");
    HeaderValue header = set.get(0).getHeader();
    assertThat(header.getKey()).isEqualTo("x-semantic-pool");
    assertThat(header.getValue()).as("only raw_value may be set").isEmpty();
    assertThat(set.get(0).getAppendAction())
        .isEqualTo(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
    assertThat(common.getClearRouteCache()).as("route cache cleared with the header").isTrue();
    return header.getRawValue().toStringUtf8();
  }

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
  void invalidJson_fallsBackToText_andStillGetsAPool() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);

    requests.onNext(headers("POST", "/rpc", "application/json", false));
    recorder.next();
    requests.onNext(body("{\"batch\": [1, 2"));

    ProcessingResponse response = recorder.next();
    assertThat(routedPool(response.getRequestBody().getResponse())).isEqualTo("general");
    assertThat(recorder.error).isNull();
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
  void binaryBodyOverTheReadLimit_isRouted_withoutError() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);
    byte[] big = new byte[3 * 1024 * 1024];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }

    requests.onNext(headers("POST", "/upload", "application/octet-stream", false));
    recorder.next();
    requests.onNext(body(big, true));

    assertThat(routedPool(recorder.next().getRequestBody().getResponse())).isEqualTo("general");
    assertThat(recorder.error).isNull();
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
  void brokenStream_doesNotHurtOthers() throws Exception {
    // A classifier that throws for one path: that stream continues unrouted, others are routed.
    Pipeline good = table.get();
    table.set(
        new Pipeline(
            good.config(),
            good.extractor(),
            request -> {
              if (request.path().equals("/boom")) {
                throw new IllegalStateException("classifier bug");
              }
              return good.classifier().classify(request);
            },
            good.cache()));
    Recorder bad = new Recorder();
    Recorder ok = new Recorder();

    stub.process(bad).onNext(headers("GET", "/boom", null, true));
    StreamObserver<ProcessingRequest> second = stub.process(ok);
    second.onNext(headers("GET", "/healthz", null, true));

    ProcessingResponse badResponse = bad.next();
    assertThat(badResponse.hasRequestHeaders()).isTrue();
    assertThat(routedPool(badResponse.getRequestHeaders().getResponse())).isNull();
    assertThat(bad.error).isNull();
    assertThat(routedPool(ok.next().getRequestHeaders().getResponse())).isEqualTo("fast-path");
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
  void requestsNeedingTheModelStages_areAnsweredWhenTheModelCallCompletes() throws Exception {
    java.util.concurrent.ExecutorService slow =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "model-call"));
    AtomicReference<String> ranOn = new AtomicReference<>();
    dev.semlb.classifier.ClassifierStage model =
        new dev.semlb.classifier.ClassifierStage() {
          @Override
          public dev.semlb.classifier.Stage stage() {
            return dev.semlb.classifier.Stage.EMBEDDING;
          }

          @Override
          public dev.semlb.classifier.Outcome decide(
              dev.semlb.classifier.view.RequestView request,
              dev.semlb.classifier.Deadline deadline) {
            throw new AssertionError("the pipeline must use the asynchronous form");
          }

          @Override
          public java.util.concurrent.CompletableFuture<dev.semlb.classifier.Outcome> decideAsync(
              dev.semlb.classifier.view.RequestView request,
              dev.semlb.classifier.Deadline deadline) {
            return java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                  ranOn.set(Thread.currentThread().getName());
                  return dev.semlb.classifier.Outcome.sure(
                      new dev.semlb.classifier.Decision(
                          "high-compute", 0.9, dev.semlb.classifier.Stage.EMBEDDING, "model"));
                },
                slow);
          }
        };
    Pipeline good = table.get();
    String name = InProcessServerBuilder.generateName();
    Server asyncServer =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                new ExternalProcessorService(
                    () ->
                        new Pipeline(
                            good.config(),
                            good.extractor(),
                            new dev.semlb.classifier.TieredClassifier(
                                java.util.List.of(),
                                dev.semlb.classifier.DecisionCache.NONE,
                                java.util.List.of(model),
                                "general",
                                java.time.Duration.ofSeconds(1)),
                            good.cache())))
            .build()
            .start();
    ManagedChannel asyncChannel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      Recorder recorder = new Recorder();
      StreamObserver<ProcessingRequest> requests =
          ExternalProcessorGrpc.newStub(asyncChannel).process(recorder);

      requests.onNext(headers("POST", "/score", "application/json", false));
      recorder.next();
      requests.onNext(body("{\"rows\": 90000}"));

      assertThat(routedPool(recorder.next().getRequestBody().getResponse()))
          .isEqualTo("high-compute");
      assertThat(ranOn.get()).isEqualTo("model-call");
    } finally {
      asyncChannel.shutdownNow();
      asyncServer.shutdownNow();
      slow.shutdownNow();
    }
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
