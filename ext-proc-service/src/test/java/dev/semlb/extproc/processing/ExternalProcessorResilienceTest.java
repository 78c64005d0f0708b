package dev.semlb.extproc.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Pipeline;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Bad or oversized bodies, a throwing classifier and a slow model stage still get answers. */
class ExternalProcessorResilienceTest extends InProcessExtProc {

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
}
