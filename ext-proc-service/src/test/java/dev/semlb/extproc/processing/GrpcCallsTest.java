package dev.semlb.extproc.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TextFormat;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.view.GrpcFrame;
import dev.semlb.classifier.view.GrpcMethod;
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
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC calls on the ext_proc stream (config/examples/grpc-routing.yaml): a call whose message the
 * table reads waits for its body; others are decided on their headers, with no body asked for.
 */
class GrpcCallsTest {

  private static final Path EXAMPLE =
      Path.of(System.getProperty("semlb.repoRoot", ".."))
          .resolve("config/examples/grpc-routing.yaml");

  private RoutingConfig config;
  private InProcessService service;
  private ExternalProcessorGrpc.ExternalProcessorStub stub;

  @BeforeEach
  void start() throws Exception {
    config = RoutingConfigLoader.load(EXAMPLE);
    Pipeline pipeline = Pipeline.build(config);
    service = new InProcessService(new ExternalProcessorService(() -> pipeline));
    stub = service.stub();
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
  }

  private final BlockingQueue<ProcessingResponse> responses = new LinkedBlockingQueue<>();

  private StreamObserver<ProcessingRequest> open() {
    return stub.process(
        new StreamObserver<>() {
          @Override
          public void onNext(ProcessingResponse value) {
            responses.add(value);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
  }

  private ProcessingResponse next() throws InterruptedException {
    ProcessingResponse r = responses.poll(5, TimeUnit.SECONDS);
    assertThat(r).as("a response from the service").isNotNull();
    return r;
  }

  private static ProcessingRequest headers(String path, String... extra) {
    HeaderMap.Builder map =
        HeaderMap.newBuilder()
            .addHeaders(raw(":method", "POST"))
            .addHeaders(raw(":path", path))
            .addHeaders(raw("content-type", "application/grpc"))
            .addHeaders(raw("te", "trailers"));
    for (int i = 0; i < extra.length; i += 2) {
      map.addHeaders(raw(extra[i], extra[i + 1]));
    }
    return ProcessingRequest.newBuilder()
        .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(map))
        .build();
  }

  private static HeaderValue raw(String key, String value) {
    return HeaderValue.newBuilder().setKey(key).setRawValue(ByteString.copyFromUtf8(value)).build();
  }

  private ProcessingRequest message(String path, String text) throws Exception {
    var type = config.grpc().method(GrpcMethod.of("application/grpc", path)).getInputType();
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    TextFormat.merge(text, builder);
    return ProcessingRequest.newBuilder()
        .setRequestBody(
            HttpBody.newBuilder()
                .setBody(ByteString.copyFrom(GrpcFrame.frame(builder.build().toByteArray())))
                .setEndOfStream(true))
        .build();
  }

  private static String pool(CommonResponse common) {
    for (HeaderValueOption h : common.getHeaderMutation().getSetHeadersList()) {
      if (h.getHeader().getKey().equals("x-semantic-pool")) {
        return h.getHeader().getRawValue().toStringUtf8();
      }
    }
    return null;
  }

  private static String costKey(CommonResponse common) {
    for (HeaderValueOption h : common.getHeaderMutation().getSetHeadersList()) {
      if (h.getHeader().getKey().equals("x-semlb-cost-key")) {
        return h.getHeader().getRawValue().toStringUtf8();
      }
    }
    return null;
  }

  @Test
  void unaryCallTheTableReads_waitsForItsMessage_andRoutesOnAField() throws Exception {
    String path = "/semlb.demo.v1.Orders/Create";
    StreamObserver<ProcessingRequest> requests = open();
    requests.onNext(headers(path, "x-semantic-pool", "fast-path"));
    ProcessingResponse first = next();
    assertThat(first.hasModeOverride()).isFalse();
    assertThat(pool(first.getRequestHeaders().getResponse())).isNull();

    requests.onNext(message(path, "customer { tier: GOLD }"));
    CommonResponse routed = next().getRequestBody().getResponse();
    assertThat(pool(routed)).isEqualTo("high-compute");
    assertThat(costKey(routed)).isEqualTo("POST /semlb.demo.v1.Orders/Create");
    requests.onCompleted();
  }

  @Test
  void streamingOrUnknownCalls_areDecidedOnTheirHeaders_withoutABody() throws Exception {
    for (String[] call :
        new String[][] {
          {"/semlb.demo.v1.Search/Watch", "fast-path"},
          {"/semlb.demo.v1.Orders/Import", "general"},
          {"/other.v1.Thing/Do", "general"}
        }) {
      StreamObserver<ProcessingRequest> requests = open();
      requests.onNext(headers(call[0]));
      ProcessingResponse response = next();
      assertThat(response.hasRequestHeaders()).as(call[0]).isTrue();
      assertThat(pool(response.getRequestHeaders().getResponse())).as(call[0]).isEqualTo(call[1]);
      ProcessingMode mode = response.getModeOverride();
      assertThat(mode.getRequestBodyMode()).as(call[0]).isEqualTo(ProcessingMode.BodySendMode.NONE);
      assertThat(mode.getResponseHeaderMode())
          .as(call[0] + ": no response phase asked for by the override's defaults")
          .isEqualTo(ProcessingMode.HeaderSendMode.SKIP);
      requests.onCompleted();
    }
  }
}
