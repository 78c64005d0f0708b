package dev.semlb.extproc.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.models.ModelSelection;
import dev.semlb.extproc.usage.Observation;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Observing ext_proc streams (LLM usage) in the service, over in-process gRPC. */
class ObservedStreamTest {

  private final List<Observation> observations = new CopyOnWriteArrayList<>();
  private final List<String> decisions = new CopyOnWriteArrayList<>();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    Pipeline table =
        Pipeline.build(
            RoutingConfigLoader.parse(
                "routing.yaml", "defaultPool: chat\npools: [{ name: chat }]\n"));
    DecisionListener listener =
        new DecisionListener() {
          @Override
          public void onDecision(
              dev.semlb.classifier.view.RequestView request,
              dev.semlb.classifier.Decision decision,
              long nanos) {
            decisions.add(decision.pool());
          }
        };
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                StreamKinds.bind(
                        new ExternalProcessorService(
                            () -> table,
                            () -> ModelSelection.OFF,
                            listener,
                            false,
                            observations::add))
                    .bindService())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static final class Recorder implements StreamObserver<ProcessingResponse> {
    final List<ProcessingResponse> responses = new CopyOnWriteArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public void onNext(ProcessingResponse value) {
      responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
      closed.countDown();
    }

    @Override
    public void onCompleted() {
      closed.countDown();
    }
  }

  private StreamObserver<ProcessingRequest> observe(String pool, Recorder recorder) {
    Metadata metadata = new Metadata();
    metadata.put(
        Metadata.Key.of(WireContract.USAGE_POOL_METADATA, Metadata.ASCII_STRING_MARSHALLER), pool);
    return ExternalProcessorGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
        .process(recorder);
  }

  private static ProcessingRequest responseHeaders(String status, String contentType) {
    return ProcessingRequest.newBuilder()
        .setObservabilityMode(true)
        .setResponseHeaders(
            HttpHeaders.newBuilder()
                .setHeaders(
                    HeaderMap.newBuilder()
                        .addHeaders(
                            HeaderValue.newBuilder()
                                .setKey(":status")
                                .setRawValue(ByteString.copyFromUtf8(status)))
                        .addHeaders(
                            HeaderValue.newBuilder()
                                .setKey("content-type")
                                .setRawValue(ByteString.copyFromUtf8(contentType)))))
        .build();
  }

  private static ProcessingRequest body(String text, boolean end) {
    return ProcessingRequest.newBuilder()
        .setObservabilityMode(true)
        .setResponseBody(
            HttpBody.newBuilder()
                .setBody(ByteString.copyFrom(text, StandardCharsets.UTF_8))
                .setEndOfStream(end))
        .build();
  }

  @Test
  void observedStream_neverAnswered_recordsUsageOnce_andClosesAtTheEnd() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> stream = observe("code", recorder);

    stream.onNext(
        ProcessingRequest.newBuilder()
            .setObservabilityMode(true)
            .setRequestHeaders(HttpHeaders.getDefaultInstance())
            .build());
    stream.onNext(responseHeaders("200", "text/event-stream"));
    stream.onNext(
        body(
            "data: {\"model\":\"demo-code-7b\",\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
            false));
    stream.onNext(
        body(
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tok",
            false));
    stream.onNext(body("ens\":9,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n", true));

    assertThat(recorder.closed.await(5, TimeUnit.SECONDS)).as("closed by the service").isTrue();
    assertThat(recorder.responses).as("never answered").isEmpty();
    assertThat(observations)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.pool()).isEqualTo("code");
              assertThat(o.model()).isEqualTo("demo-code-7b");
              assertThat(o.status()).isEqualTo(200);
              assertThat(o.promptTokens()).isEqualTo(9);
              assertThat(o.completionTokens()).isEqualTo(2);
              assertThat(o.complete()).isTrue();
              assertThat(o.timeToFirstTokenNanos()).isNotNegative();
            });
    assertThat(decisions).as("no classification").isEmpty();
  }

  @Test
  void streamCutBeforeTheEnd_recordsIncomplete() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> stream = observe("chat", recorder);

    stream.onNext(responseHeaders("200", "application/json"));
    stream.onNext(body("{\"model\":\"demo-chat-8b\",\"choices\":[", false));
    stream.onError(new RuntimeException("reset"));

    assertThat(observations)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.complete()).isFalse();
              assertThat(o.usage()).isFalse();
              assertThat(o.timeToFirstTokenNanos()).as("not streamed: no TTFT").isEqualTo(-1);
            });
  }

  @Test
  void errorWithoutBody_recordsItsStatus() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> stream = observe("chat", recorder);

    stream.onNext(
        ProcessingRequest.newBuilder()
            .setObservabilityMode(true)
            .setResponseHeaders(
                HttpHeaders.newBuilder()
                    .setEndOfStream(true)
                    .setHeaders(
                        HeaderMap.newBuilder()
                            .addHeaders(
                                HeaderValue.newBuilder().setKey(":status").setValue("429"))))
            .build());

    assertThat(recorder.closed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(observations)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.status()).isEqualTo(429);
              assertThat(o.complete()).isTrue();
            });
  }
}
