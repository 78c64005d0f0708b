package dev.semlb.extproc.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfigLoader;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conversation stickiness through the ext_proc stream: the {@code x-session-id} header Envoy
 * forwards reaches the classifier, and a session's later turns keep its first pool.
 */
class StickySessionStreamTest {

  private static final String ROUTING =
      """
      defaultPool: chat
      pools:
        - name: code
        - name: chat
      rules:
        - name: stack-traces
          pool: code
          match: { body: { keywords: [traceback] } }
      stickiness:
        ttlSeconds: 60
      """;

  private InProcessService service;
  private ExternalProcessorGrpc.ExternalProcessorStub stub;

  @BeforeEach
  void start() throws Exception {
    Pipeline table = Pipeline.build(RoutingConfigLoader.parse("sticky.yaml", ROUTING));
    service = new InProcessService(new ExternalProcessorService(() -> table));
    stub = service.stub();
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
  }

  @Test
  void laterTurnsOfASession_keepItsFirstPool_otherSessionsDoNot() throws Exception {
    assertThat(route("s-1", "Traceback (most recent call last): KeyError")).isEqualTo("code");
    assertThat(route("s-1", "thanks! and how are you today?")).isEqualTo("code");
    assertThat(route("s-2", "thanks! and how are you today?")).isEqualTo("chat");
    assertThat(route(null, "thanks! and how are you today?")).isEqualTo("chat");
    assertThat(route("s-2", "Traceback again")).as("a rule always wins").isEqualTo("code");
    assertThat(route("s-2", "ok, bye")).isEqualTo("code");
  }

  /** Sends one chat completion (with the session header unless null); the pool it is routed to. */
  private String route(String session, String prompt) throws Exception {
    BlockingQueue<ProcessingResponse> responses = new LinkedBlockingQueue<>();
    StreamObserver<ProcessingRequest> requests =
        stub.process(
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
    HeaderMap.Builder headers =
        HeaderMap.newBuilder()
            .addHeaders(raw(":method", "POST"))
            .addHeaders(raw(":path", "/v1/chat/completions"))
            .addHeaders(raw("content-type", "application/json"));
    if (session != null) {
      headers.addHeaders(raw("x-session-id", session));
    }
    requests.onNext(
        ProcessingRequest.newBuilder()
            .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(headers))
            .build());
    assertThat(responses.poll(5, TimeUnit.SECONDS)).isNotNull();
    String json =
        "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \""
            + prompt
            + "\"}]}";
    requests.onNext(
        ProcessingRequest.newBuilder()
            .setRequestBody(
                HttpBody.newBuilder().setBody(ByteString.copyFromUtf8(json)).setEndOfStream(true))
            .build());
    ProcessingResponse routed = responses.poll(5, TimeUnit.SECONDS);
    assertThat(routed).isNotNull();
    requests.onCompleted();
    return routed.getRequestBody().getResponse().getHeaderMutation().getSetHeadersList().stream()
        .filter(h -> h.getHeader().getKey().equals("x-semantic-pool"))
        .map(h -> h.getHeader().getRawValue().toStringUtf8())
        .findFirst()
        .orElse(null);
  }

  private static HeaderValue raw(String key, String value) {
    return HeaderValue.newBuilder().setKey(key).setRawValue(ByteString.copyFromUtf8(value)).build();
  }
}
