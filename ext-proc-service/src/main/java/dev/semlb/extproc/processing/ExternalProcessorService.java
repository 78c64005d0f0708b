package dev.semlb.extproc.processing;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.models.ModelSelection;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Envoy's {@code envoy.service.ext_proc.v3.ExternalProcessor}: classifies each request and sets
 * {@value WireContract#POOL_HEADER} with route-cache clearing, so Envoy's route table picks the
 * pool's cluster. Thread-safe; each stream gets its own {@link ProcessingStream}.
 *
 * <p>The upstream model filter of xds-server's model pool clusters opens its streams (one per
 * attempt, after Envoy chose the host) with the gRPC metadata {@value
 * WireContract#UPSTREAM_STREAM_METADATA}{@code : upstream}; those get an {@link AttemptStream},
 * which sets the body's {@code model} to the chosen host's (register {@link #withAttemptStreams}).
 */
public final class ExternalProcessorService
    extends ExternalProcessorGrpc.ExternalProcessorImplBase {

  private final Supplier<Pipeline> tables;
  private final Supplier<ModelSelection> models;
  private final DecisionListener listener;
  private final boolean decisionHeader;
  private final AtomicLong streams = new AtomicLong();

  /** Whether the current call is an upstream filter's (per-attempt) stream. */
  private static final Context.Key<Boolean> UPSTREAM =
      Context.keyWithDefault("semlb-upstream", false);

  private static final Metadata.Key<String> STAGE =
      Metadata.Key.of(WireContract.UPSTREAM_STREAM_METADATA, Metadata.ASCII_STRING_MARSHALLER);

  /** Marks the calls whose metadata says they come from the upstream filter. */
  private static final class StageInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      if (!"upstream".equals(headers.get(STAGE))) {
        return next.startCall(call, headers);
      }
      return Contexts.interceptCall(
          Context.current().withValue(UPSTREAM, true), call, headers, next);
    }
  }

  /**
   * @param tables the current routing table, read once per request
   */
  public ExternalProcessorService(Supplier<Pipeline> tables) {
    this(tables, DecisionListener.NONE, false);
  }

  /**
   * @param tables the current routing table, read once per request
   * @param listener told about every stream and decision
   * @param decisionHeader whether to add {@value WireContract#DECISION_HEADER} to routed requests
   */
  public ExternalProcessorService(
      Supplier<Pipeline> tables, DecisionListener listener, boolean decisionHeader) {
    this(tables, () -> ModelSelection.OFF, listener, decisionHeader);
  }

  /**
   * @param tables the current routing table, read once per request
   * @param models the current model selection (LLM gateway), read once per request
   * @param listener told about every stream and decision
   * @param decisionHeader whether to add {@value WireContract#DECISION_HEADER} to routed requests
   */
  public ExternalProcessorService(
      Supplier<Pipeline> tables,
      Supplier<ModelSelection> models,
      DecisionListener listener,
      boolean decisionHeader) {
    this.tables = Objects.requireNonNull(tables, "tables");
    this.models = Objects.requireNonNull(models, "models");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.decisionHeader = decisionHeader;
  }

  /**
   * This service as registered with the server: with the interceptor that tells the upstream
   * filter's streams apart (register this, not the service itself, to serve them).
   */
  public BindableService withAttemptStreams() {
    ServerServiceDefinition definition =
        ServerInterceptors.intercept(bindService(), new StageInterceptor());
    return () -> definition;
  }

  @Override
  public StreamObserver<ProcessingRequest> process(
      StreamObserver<ProcessingResponse> responseObserver) {
    ServerCallStreamObserver<ProcessingResponse> out =
        (ServerCallStreamObserver<ProcessingResponse>) responseObserver;
    // Envoy cancels a stream when its client goes away; that is normal, not an error.
    out.setOnCancelHandler(() -> {});
    if (UPSTREAM.get()) {
      return new AttemptStream(out, models, "a" + streams.incrementAndGet());
    }
    listener.onStreamOpened();
    return new ProcessingStream(
        out,
        tables,
        models,
        listener,
        WireContract.POOL_HEADER,
        decisionHeader ? WireContract.DECISION_HEADER : null,
        "s" + streams.incrementAndGet());
  }
}
