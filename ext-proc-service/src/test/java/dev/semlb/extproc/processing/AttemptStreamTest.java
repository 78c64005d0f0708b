package dev.semlb.extproc.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.models.ModelSelection;
import dev.semlb.config.PoolModels;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream filter's per-attempt streams, told apart by their gRPC metadata. */
class AttemptStreamTest {

  private static final String ROUTING =
      """
      defaultPool: chat
      pools:
        - { name: code }
        - { name: chat }
      """;

  private static final ModelSelection MODELS =
      new ModelSelection(
          new PoolModels(
              Map.of("code", "demo-code-7b", "chat", "demo-chat-8b"),
              List.of("auto"),
              PoolModels.UnknownModel.ERROR),
          1L);

  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    Pipeline table = Pipeline.build(RoutingConfigLoader.parse("routing.yaml", ROUTING));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                StreamKinds.bind(
                    new ExternalProcessorService(
                        () -> table, () -> MODELS, DecisionListener.NONE, false)))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private ExternalProcessorGrpc.ExternalProcessorStub stub(boolean upstream) {
    ExternalProcessorGrpc.ExternalProcessorStub stub = ExternalProcessorGrpc.newStub(channel);
    if (!upstream) {
      return stub;
    }
    Metadata metadata = new Metadata();
    metadata.put(
        Metadata.Key.of(WireContract.UPSTREAM_STREAM_METADATA, Metadata.ASCII_STRING_MARSHALLER),
        "upstream");
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
  }

  private static final class Recorder implements StreamObserver<ProcessingResponse> {
    final BlockingQueue<ProcessingResponse> responses = new LinkedBlockingQueue<>();

    @Override
    public void onNext(ProcessingResponse value) {
      responses.add(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    ProcessingResponse next() throws InterruptedException {
      ProcessingResponse r = responses.poll(5, TimeUnit.SECONDS);
      assertThat(r).as("a response from the service").isNotNull();
      return r;
    }
  }

  private static ProcessingRequest headers(String hostModel, int contentLength) {
    return headers(hostModel, contentLength, null);
  }

  private static ProcessingRequest headers(String hostModel, int contentLength, String bodyModel) {
    HeaderMap.Builder map =
        HeaderMap.newBuilder()
            .addHeaders(HeaderValue.newBuilder().setKey(":method").setRawValue(bytes("POST")))
            .addHeaders(
                HeaderValue.newBuilder().setKey(":path").setRawValue(bytes("/v1/chat/completions")))
            .addHeaders(
                HeaderValue.newBuilder()
                    .setKey("content-length")
                    .setRawValue(bytes(Integer.toString(contentLength))));
    if (bodyModel != null) {
      map.addHeaders(
          HeaderValue.newBuilder().setKey(WireContract.MODEL_HEADER).setRawValue(bytes(bodyModel)));
    }
    ProcessingRequest.Builder request =
        ProcessingRequest.newBuilder().setRequestHeaders(HttpHeaders.newBuilder().setHeaders(map));
    if (hostModel != null) {
      request.putAttributes(
          "envoy.filters.http.ext_proc",
          Struct.newBuilder()
              .putFields(
                  WireContract.HOST_MODEL_ATTRIBUTE,
                  Value.newBuilder().setStringValue(hostModel).build())
              .build());
    }
    return request.build();
  }

  private static ProcessingRequest body(String body) {
    return ProcessingRequest.newBuilder()
        .setRequestBody(HttpBody.newBuilder().setBody(bytes(body)).setEndOfStream(true))
        .build();
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static String header(ProcessingResponse response, String name) {
    return response.getRequestBody().getResponse().getHeaderMutation().getSetHeadersList().stream()
        .map(HeaderValueOption::getHeader)
        .filter(h -> h.getKey().equals(name))
        .map(h -> h.getRawValue().toStringUtf8())
        .findFirst()
        .orElse(null);
  }

  @Test
  void attempt_toAHostServingAnotherModel_getsThatModel_andItsContentLength() throws Exception {
    String body =
        "{\"model\":\"demo-code-7b\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> stream = stub(true).process(recorder);

    stream.onNext(headers("demo-chat-8b", body.length()));
    ProcessingResponse onHeaders = recorder.next();
    stream.onNext(body(body));
    ProcessingResponse onBody = recorder.next();
    stream.onCompleted();

    assertThat(onHeaders.hasRequestHeaders()).isTrue();
    assertThat(onHeaders.hasModeOverride()).as("the body is wanted").isFalse();
    assertThat(onHeaders.getRequestHeaders().getResponse().hasHeaderMutation())
        .as("an attempt never touches the route")
        .isFalse();
    String rewritten = body.replace("demo-code-7b", "demo-chat-8b");
    assertThat(onBody.getRequestBody().getResponse().getBodyMutation().getBody().toStringUtf8())
        .isEqualTo(rewritten);
    assertThat(header(onBody, "content-length")).isEqualTo(Integer.toString(rewritten.length()));
    assertThat(header(onBody, WireContract.POOL_HEADER)).as("no routing on an attempt").isNull();
  }

  @Test
  void attempt_toAHostServingTheBodysModel_continuesUnchanged() throws Exception {
    String body = "{\"model\":\"demo-code-7b\"}";
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> stream = stub(true).process(recorder);

    stream.onNext(headers("demo-code-7b", body.length()));
    recorder.next();
    stream.onNext(body(body));
    ProcessingResponse onBody = recorder.next();

    assertThat(onBody.hasRequestBody()).isTrue();
    assertThat(onBody.getRequestBody().getResponse().hasBodyMutation()).isFalse();
    assertThat(onBody.getRequestBody().getResponse().hasHeaderMutation()).isFalse();
  }

  @Test
  void attempt_toAHostWithoutModel_asksForNoBody() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> stream = stub(true).process(recorder);

    stream.onNext(headers(null, 20));
    ProcessingResponse onHeaders = recorder.next();

    assertThat(onHeaders.hasRequestHeaders()).isTrue();
    assertThat(onHeaders.getModeOverride().getRequestBodyMode())
        .isEqualTo(ProcessingMode.BodySendMode.NONE);
  }

  @Test
  void attempt_whoseBodyAlreadyNamesTheHostsModel_asksForNoBody_andDropsTheHeader()
      throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> stream = stub(true).process(recorder);

    stream.onNext(headers("demo-code-7b", 20, "demo-code-7b"));
    ProcessingResponse onHeaders = recorder.next();

    assertThat(onHeaders.getModeOverride().getRequestBodyMode())
        .isEqualTo(ProcessingMode.BodySendMode.NONE);
    assertThat(
            onHeaders.getRequestHeaders().getResponse().getHeaderMutation().getRemoveHeadersList())
        .containsExactly(WireContract.MODEL_HEADER);
  }

  @Test
  void attempt_whoseBodyNamesAnotherModel_wantsTheBody_andDropsTheHeader() throws Exception {
    String body = "{\"model\":\"demo-code-7b\"}";
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> stream = stub(true).process(recorder);

    stream.onNext(headers("demo-chat-8b", body.length(), "demo-code-7b"));
    ProcessingResponse onHeaders = recorder.next();
    stream.onNext(body(body));
    ProcessingResponse onBody = recorder.next();

    assertThat(onHeaders.hasModeOverride()).isFalse();
    assertThat(
            onHeaders.getRequestHeaders().getResponse().getHeaderMutation().getRemoveHeadersList())
        .containsExactly(WireContract.MODEL_HEADER);
    assertThat(onBody.getRequestBody().getResponse().getBodyMutation().getBody().toStringUtf8())
        .isEqualTo("{\"model\":\"demo-chat-8b\"}");
  }

  @Test
  void streamWithoutTheUpstreamMetadata_isTheDownstreamRouting() throws Exception {
    // The same messages on a plain stream: routed (a pool's model goes to its pool), no rewrite.
    String body = "{\"model\":\"demo-code-7b\"}";
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> stream = stub(false).process(recorder);

    stream.onNext(headers("demo-chat-8b", body.length()));
    recorder.next();
    stream.onNext(body(body));
    ProcessingResponse onBody = recorder.next();

    assertThat(header(onBody, WireContract.POOL_HEADER)).isEqualTo("code");
    assertThat(header(onBody, WireContract.MODEL_HEADER))
        .as("tells the upstream filter which model the body names")
        .isEqualTo("demo-code-7b");
    assertThat(onBody.getRequestBody().getResponse().hasBodyMutation()).isFalse();
  }
}
