package dev.semlb.extproc.warmup;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.WarmUpRequests;
import dev.semlb.extproc.processing.ExternalProcessorService;
import dev.semlb.extproc.processing.StreamKinds;
import dev.semlb.grpc.ManagedGrpcServer;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Warms a just-started ext-proc-service before its port opens: made-up requests ({@link
 * WarmUpRequests}) go, as Envoy sends them (headers, then the buffered body), over a real loopback
 * gRPC connection to a throwaway server with the same transport settings and stream handler, which
 * classifies them with the service's own routing table. Netty's HTTP/2, the ext_proc messages, the
 * stream handler, the body readers and the model stages are then loaded and compiled when Envoy's
 * first request arrives.
 *
 * <p>Why: without it a restarted service on 2 cores answered its first requests after Envoy's 200
 * ms message timeout, and they failed open to the default pool (scripts/run-local.sh, workload sent
 * right after each of three SIGKILL restarts: 2, 1 and 2 of 19 requests in the wrong pool;
 * docs/reliability.md, "Warm-up before serving").
 *
 * <p>The throwaway server has its own {@link ExternalProcessorService} with no listener, so made-up
 * requests never reach the metrics, the decision log or the measured costs. A table with an LLM
 * stage is not warmed: that would send made-up prompts to the model server.
 */
public final class LoopbackWarmUp {

  /**
   * What a warm-up did.
   *
   * @param requests requests classified and answered with a pool
   * @param took how long they took in all
   * @param firstMillis the first request's time, ms (the cold cost)
   * @param lastMillis the last request's time, ms
   * @param skipped why nothing ran, or null when it ran
   */
  public record Result(
      int requests, Duration took, long firstMillis, long lastMillis, String skipped) {

    static Result skipped(String why) {
      return new Result(0, Duration.ZERO, 0, 0, why);
    }

    /** A one-line summary for the start-up log. */
    public String format() {
      return skipped != null
          ? "skipped (" + skipped + ")"
          : requests
              + " made-up requests over loopback gRPC in "
              + took.toMillis()
              + " ms (first "
              + firstMillis
              + " ms, last "
              + lastMillis
              + " ms)";
    }
  }

  private static final long ANSWER_TIMEOUT_SECONDS = 10;

  private LoopbackWarmUp() {}

  /**
   * Sends made-up requests until {@code maxRounds} rounds of every shape are done or {@code
   * maxTime} has passed (a round in progress is finished).
   *
   * @param routing the service's routing table
   * @param maxRounds rounds of all shapes, at least 0
   * @param maxTime time limit; zero runs nothing
   * @param nanoTime the clock (System::nanoTime in service)
   * @throws IOException if no loopback port can be bound
   */
  public static Result run(
      Supplier<Pipeline> routing, int maxRounds, Duration maxTime, LongSupplier nanoTime)
      throws IOException {
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(maxTime, "maxTime");
    if (maxRounds < 0) {
      throw new IllegalArgumentException("maxRounds: " + maxRounds + " (expected: >= 0)");
    }
    if (maxTime.isNegative()) {
      throw new IllegalArgumentException("maxTime: " + maxTime + " (expected: >= 0)");
    }
    if (routing.get().config().llm().enabled()) {
      return Result.skipped("an LLM stage would receive made-up prompts");
    }
    if (maxRounds == 0 || maxTime.isZero()) {
      return Result.skipped("turned off");
    }
    ManagedGrpcServer server =
        ManagedGrpcServer.start(
            "127.0.0.1",
            0,
            MoreExecutors.directExecutor(),
            ExternalProcessorService.MAX_MESSAGE_BYTES,
            List.of(StreamKinds.bind(new ExternalProcessorService(routing))));
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", server.port(), InsecureChannelCredentials.create())
            .build();
    try {
      ExternalProcessorGrpc.ExternalProcessorStub stub = ExternalProcessorGrpc.newStub(channel);
      long start = nanoTime.getAsLong();
      long limit = start + maxTime.toNanos();
      int requests = 0;
      long first = 0;
      long last = 0;
      for (int round = 0; round < maxRounds && nanoTime.getAsLong() - limit < 0; round++) {
        for (WarmUpRequests.Shape shape : WarmUpRequests.shapes(round)) {
          long before = nanoTime.getAsLong();
          send(stub, shape);
          last = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - before);
          first = requests == 0 ? last : first;
          requests++;
        }
      }
      return new Result(
          requests, Duration.ofNanos(nanoTime.getAsLong() - start), first, last, null);
    } finally {
      channel.shutdownNow();
      server.kill();
    }
  }

  /** One request as Envoy sends it; returns once the pool is set. */
  private static void send(ExternalProcessorGrpc.ExternalProcessorStub stub, WarmUpRequests.Shape s)
      throws IOException {
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    StreamObserver<ProcessingRequest> stream =
        stub.process(
            new StreamObserver<>() {
              @Override
              public void onNext(ProcessingResponse value) {
                answers.add(value);
              }

              @Override
              public void onError(Throwable t) {
                answers.add(t);
              }

              @Override
              public void onCompleted() {
                // the stream ends after the answers that count
              }
            });
    HeaderMap.Builder headers =
        HeaderMap.newBuilder()
            .addHeaders(header(":method", s.method()))
            .addHeaders(header(":path", s.target()))
            .addHeaders(header(":authority", "warm-up.invalid"));
    if (!s.contentType().isEmpty()) {
      headers.addHeaders(header("content-type", s.contentType()));
    }
    boolean hasBody = !s.body().isEmpty();
    try {
      stream.onNext(
          ProcessingRequest.newBuilder()
              .setRequestHeaders(
                  HttpHeaders.newBuilder().setHeaders(headers).setEndOfStream(!hasBody))
              .build());
      ProcessingResponse answer = await(answers);
      if (hasBody && answer.hasRequestHeaders() && !routes(answer)) {
        stream.onNext(
            ProcessingRequest.newBuilder()
                .setRequestBody(
                    HttpBody.newBuilder()
                        .setBody(ByteString.copyFrom(s.body(), StandardCharsets.UTF_8))
                        .setEndOfStream(true))
                .build());
        answer = await(answers);
      }
      if (!routes(answer)) {
        throw new IOException(
            "warm-up: " + s.method() + " " + s.target() + " got no pool: " + answer);
      }
    } finally {
      stream.onCompleted();
    }
  }

  private static ProcessingResponse await(BlockingQueue<Object> answers) throws IOException {
    Object answer;
    try {
      answer = answers.poll(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("warm-up: interrupted", e);
    }
    if (answer instanceof ProcessingResponse response) {
      return response;
    }
    throw answer == null
        ? new IOException("warm-up: no answer within " + ANSWER_TIMEOUT_SECONDS + " s")
        : new IOException("warm-up: the stream failed", (Throwable) answer);
  }

  /** Whether an answer sets the pool header (on headers or on the body). */
  private static boolean routes(ProcessingResponse answer) {
    var common =
        answer.hasRequestBody()
            ? answer.getRequestBody().getResponse()
            : answer.getRequestHeaders().getResponse();
    return common.getHeaderMutation().getSetHeadersList().stream()
        .anyMatch(h -> h.getHeader().getKey().equals(WireContract.POOL_HEADER));
  }

  private static HeaderValue header(String key, String value) {
    return HeaderValue.newBuilder().setKey(key).setRawValue(ByteString.copyFromUtf8(value)).build();
  }
}
