package dev.semlb.extproc.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfigLoader;
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
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the {@link ExternalProcessorService} tests: before each test the service runs over
 * the in-process transport on the shipped routing config, with a real stub ({@link #stub}) and the
 * pipeline it reads ({@link #table}), which a test may swap. Also builds Envoy's requests and reads
 * the pool out of an answer. Not thread-safe; one instance per test, as JUnit makes them.
 */
abstract class InProcessExtProc {

  private static final Path ROUTING =
      Path.of(System.getProperty("semlb.repoRoot", "..")).resolve("config/routing.yaml");

  /** The pipeline the service reads for each stream; a test may set another. */
  final AtomicReference<Pipeline> table = new AtomicReference<>();

  private InProcessService service;

  /** A real stub on the in-process channel, new for each test. */
  ExternalProcessorGrpc.ExternalProcessorStub stub;

  @BeforeEach
  void start() throws Exception {
    table.set(Pipeline.build(RoutingConfigLoader.load(ROUTING)));
    service = new InProcessService(new ExternalProcessorService(table::get));
    stub = service.stub();
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
  }

  /** A client stream that records what the service answers. */
  static final class Recorder implements StreamObserver<ProcessingResponse> {
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

  static ProcessingRequest headers(
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

  static HeaderValue raw(String key, String value) {
    return HeaderValue.newBuilder().setKey(key).setRawValue(ByteString.copyFromUtf8(value)).build();
  }

  static ProcessingRequest body(byte[] bytes, boolean endOfStream) {
    return ProcessingRequest.newBuilder()
        .setRequestBody(
            HttpBody.newBuilder().setBody(ByteString.copyFrom(bytes)).setEndOfStream(endOfStream))
        .build();
  }

  static ProcessingRequest body(String text) {
    return body(text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** The pool a response routes to, or null when it sets no header. */
  static String routedPool(CommonResponse common) {
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
}
