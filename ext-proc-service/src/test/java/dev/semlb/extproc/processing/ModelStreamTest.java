package dev.semlb.extproc.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.models.ModelSelection;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.config.PoolModels;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Model selection and rewrite in the stream handler (LLM gateway), over in-process gRPC. */
class ModelStreamTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // Rules only: fenced code goes to code, the rest to the default pool chat.
  private static final String ROUTING =
      """
      defaultPool: chat
      pools:
        - { name: code }
        - { name: chat }
        - { name: fast }
      rules:
        - { name: fenced-code, pool: code, match: { body: { regex: "```" } } }
      """;

  private final AtomicReference<ModelSelection> models = new AtomicReference<>();
  private final List<Decision> decisions = new CopyOnWriteArrayList<>();
  private InProcessService service;
  private ExternalProcessorGrpc.ExternalProcessorStub stub;

  private static ModelSelection selection(PoolModels.UnknownModel unknown) {
    Map<String, String> byPool = new LinkedHashMap<>();
    byPool.put("code", "demo-code-7b");
    byPool.put("fast", "demo-fast-1b");
    return new ModelSelection(new PoolModels(byPool, List.of("auto"), unknown), 1L);
  }

  @BeforeEach
  void start() throws Exception {
    Pipeline table = Pipeline.build(RoutingConfigLoader.parse("routing.yaml", ROUTING));
    models.set(selection(PoolModels.UnknownModel.ERROR));
    DecisionListener listener =
        new DecisionListener() {
          @Override
          public void onDecision(RequestView request, Decision decision, long nanos) {
            decisions.add(decision);
          }
        };
    service =
        new InProcessService(
            new ExternalProcessorService(() -> table, models::get, listener, false));
    stub = service.stub();
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
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

  private static HeaderValue raw(String key, String value) {
    return HeaderValue.newBuilder().setKey(key).setRawValue(ByteString.copyFromUtf8(value)).build();
  }

  private static ProcessingRequest headers(
      String method, String path, boolean endOfStream, String... extra) {
    HeaderMap.Builder map =
        HeaderMap.newBuilder().addHeaders(raw(":method", method)).addHeaders(raw(":path", path));
    for (int i = 0; i < extra.length; i += 2) {
      map.addHeaders(raw(extra[i], extra[i + 1]));
    }
    return ProcessingRequest.newBuilder()
        .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(map).setEndOfStream(endOfStream))
        .build();
  }

  private static ProcessingRequest body(String text, boolean endOfStream) {
    return ProcessingRequest.newBuilder()
        .setRequestBody(
            HttpBody.newBuilder()
                .setBody(ByteString.copyFromUtf8(text))
                .setEndOfStream(endOfStream))
        .build();
  }

  /** Sends a POST with {@code text} as its body (in {@code chunks}); returns the body answer. */
  private ProcessingResponse post(String text, boolean withContentLength, int chunks)
      throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    requests.onNext(
        withContentLength
            ? headers(
                "POST",
                "/v1/chat/completions",
                false,
                "content-type",
                "application/json",
                "content-length",
                Integer.toString(bytes.length))
            : headers("POST", "/v1/chat/completions", false, "content-type", "application/json"));
    assertThat(recorder.next().hasRequestHeaders()).isTrue();
    int step = (text.length() + chunks - 1) / chunks;
    for (int i = 0; i < text.length(); i += step) {
      boolean last = i + step >= text.length();
      requests.onNext(body(text.substring(i, Math.min(text.length(), i + step)), last));
      if (!last) {
        assertThat(recorder.next().hasRequestBody()).isTrue();
      }
    }
    ProcessingResponse response = recorder.next();
    requests.onCompleted();
    return response;
  }

  private static Map<String, String> setHeaders(CommonResponse common) {
    Map<String, String> set = new LinkedHashMap<>();
    for (HeaderValueOption option : common.getHeaderMutation().getSetHeadersList()) {
      set.put(option.getHeader().getKey(), option.getHeader().getRawValue().toStringUtf8());
    }
    return set;
  }

  @Test
  void auto_isClassified_andTheBodyCarriesThePoolsModel_withItsContentLength() throws Exception {
    String text =
        "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"```x = 1```\"}]}";

    CommonResponse common = post(text, true, 3).getRequestBody().getResponse();

    String rewritten = common.getBodyMutation().getBody().toStringUtf8();
    assertThat(rewritten).isEqualTo(text.replace("\"auto\"", "\"demo-code-7b\""));
    assertThat(setHeaders(common))
        .containsEntry(WireContract.POOL_HEADER, "code")
        .containsEntry(WireContract.MODEL_HEADER, "demo-code-7b")
        .containsEntry(
            "content-length", Integer.toString(rewritten.getBytes(StandardCharsets.UTF_8).length));
    assertThat(common.getClearRouteCache()).isTrue();
    assertThat(decisions).singleElement().extracting(Decision::stage).hasToString("RULES");
  }

  @Test
  void auto_withoutContentLength_isRewritten_andSetsNone() throws Exception {
    CommonResponse common =
        post(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"```\"}]}",
                false,
                1)
            .getRequestBody()
            .getResponse();

    assertThat(common.getBodyMutation().getBody().toStringUtf8()).contains("demo-code-7b");
    assertThat(setHeaders(common)).doesNotContainKey("content-length");
  }

  @Test
  void auto_routedToAPoolWithoutAModel_leavesTheBody() throws Exception {
    CommonResponse common =
        post("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", true, 1)
            .getRequestBody()
            .getResponse();

    assertThat(setHeaders(common)).containsEntry(WireContract.POOL_HEADER, "chat");
    assertThat(common.hasBodyMutation()).isFalse();
    assertThat(setHeaders(common)).doesNotContainKey("content-length");
  }

  @Test
  void servedModel_goesToItsPool_atStageModel_bodyUnchanged() throws Exception {
    CommonResponse common =
        post("{\"model\":\"demo-fast-1b\",\"messages\":[{\"content\":\"```\"}]}", true, 2)
            .getRequestBody()
            .getResponse();

    assertThat(setHeaders(common)).containsEntry(WireContract.POOL_HEADER, "fast");
    assertThat(common.hasBodyMutation()).isFalse();
    assertThat(decisions)
        .singleElement()
        .extracting(Decision::reason)
        .isEqualTo("model 'demo-fast-1b'");
  }

  @Test
  void unknownModel_getsAnImmediateOpenAiError() throws Exception {
    ProcessingResponse response = post("{\"model\":\"gpt-9\",\"messages\":[]}", true, 1);

    assertThat(response.hasImmediateResponse()).isTrue();
    assertThat(response.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(404);
    JsonNode error =
        JSON.readTree(response.getImmediateResponse().getBody().toByteArray()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("model_not_found");
    assertThat(
            setHeaders(
                CommonResponse.newBuilder()
                    .setHeaderMutation(response.getImmediateResponse().getHeaders())
                    .build()))
        .containsEntry("content-type", "application/json");
    assertThat(decisions).isEmpty();
  }

  @Test
  void unknownModel_withDefaultPolicy_goesToTheDefaultPool() throws Exception {
    models.set(selection(PoolModels.UnknownModel.DEFAULT));

    CommonResponse common =
        post("{\"model\":\"gpt-9\",\"messages\":[]}", true, 1).getRequestBody().getResponse();

    assertThat(setHeaders(common)).containsEntry(WireContract.POOL_HEADER, "chat");
    assertThat(common.hasBodyMutation()).isFalse();
  }

  @Test
  void getModels_isAnsweredAtTheHeadersPhase() throws Exception {
    Recorder recorder = new Recorder();
    StreamObserver<ProcessingRequest> requests = stub.process(recorder);

    requests.onNext(headers("GET", "/v1/models", true));

    ProcessingResponse response = recorder.next();
    assertThat(response.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(200);
    assertThat(
            JSON.readTree(response.getImmediateResponse().getBody().toByteArray())
                .path("data")
                .findValuesAsText("id"))
        .containsExactly("auto", "demo-code-7b", "demo-fast-1b");
    requests.onCompleted();
  }

  @Test
  void modelsOff_routesAsBefore() throws Exception {
    models.set(ModelSelection.OFF);

    CommonResponse common =
        post("{\"model\":\"gpt-9\",\"messages\":[]}", true, 1).getRequestBody().getResponse();

    assertThat(setHeaders(common)).containsEntry(WireContract.POOL_HEADER, "chat");
    assertThat(common.hasBodyMutation()).isFalse();
  }
}
