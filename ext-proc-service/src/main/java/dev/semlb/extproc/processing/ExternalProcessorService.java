package dev.semlb.extproc.processing;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.models.ModelSelection;
import dev.semlb.extproc.usage.Observation;
import dev.semlb.wire.WireContract;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Envoy's {@code envoy.service.ext_proc.v3.ExternalProcessor}: classifies each request and sets
 * {@value WireContract#POOL_HEADER} with route-cache clearing, so Envoy's route table picks the
 * pool's cluster. Thread-safe; each stream gets its own {@link ProcessingStream}.
 *
 * <p>The upstream model filter of xds-server's model pool clusters opens its streams (one per
 * attempt, after Envoy chose the host) with the gRPC metadata {@value
 * WireContract#UPSTREAM_STREAM_METADATA}{@code : upstream} ({@link StreamKinds}); those get an
 * {@link AttemptStream}, which sets the body's {@code model} to the chosen host's.
 *
 * <p>Streams of the observing filter (LLM usage; their route names a pool in the metadata that
 * {@link StreamKinds} reads) get an {@link ObservedStream} instead, whose observations go to the
 * usage sink.
 */
public final class ExternalProcessorService
    extends ExternalProcessorGrpc.ExternalProcessorImplBase {

  /**
   * The largest ext_proc message the service accepts: well over a body Envoy buffers (2 MiB in the
   * shipped config).
   */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Supplier<Pipeline> tables;
  private final Supplier<ModelSelection> models;
  private final DecisionListener listener;
  private final boolean decisionHeader;
  private final Consumer<Observation> usage;
  private final CostReporting reporting;
  private final AtomicLong streams = new AtomicLong();

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
    this(tables, models, listener, decisionHeader, o -> {});
  }

  /**
   * @param tables the current routing table, read once per request
   * @param models the current model selection (LLM gateway), read once per request
   * @param listener told about every stream and decision
   * @param decisionHeader whether to add {@value WireContract#DECISION_HEADER} to routed requests
   * @param usage told about every observed LLM response (called on the stream's thread)
   */
  public ExternalProcessorService(
      Supplier<Pipeline> tables,
      Supplier<ModelSelection> models,
      DecisionListener listener,
      boolean decisionHeader,
      Consumer<Observation> usage) {
    this(tables, models, listener, decisionHeader, usage, CostReporting.EVERY);
  }

  /**
   * @param tables the current routing table, read once per request
   * @param models the current model selection (LLM gateway), read once per request
   * @param listener told about every stream and decision
   * @param decisionHeader whether to add {@value WireContract#DECISION_HEADER} to routed requests
   * @param usage told about every observed LLM response (called on the stream's thread)
   * @param reporting which routed requests Envoy reports back (cost feedback), and as what
   */
  public ExternalProcessorService(
      Supplier<Pipeline> tables,
      Supplier<ModelSelection> models,
      DecisionListener listener,
      boolean decisionHeader,
      Consumer<Observation> usage,
      CostReporting reporting) {
    this.reporting = Objects.requireNonNull(reporting, "reporting");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.models = Objects.requireNonNull(models, "models");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.decisionHeader = decisionHeader;
  }

  @Override
  public StreamObserver<ProcessingRequest> process(
      StreamObserver<ProcessingResponse> responseObserver) {
    ServerCallStreamObserver<ProcessingResponse> out =
        (ServerCallStreamObserver<ProcessingResponse>) responseObserver;
    // Envoy cancels a stream when its client goes away; that is normal, not an error.
    out.setOnCancelHandler(() -> {});
    if (StreamKinds.UPSTREAM.get()) {
      return new AttemptStream(out, models, "a" + streams.incrementAndGet());
    }
    String observedPool = StreamKinds.POOL.get();
    if (observedPool != null) {
      return new ObservedStream(
          out, observedPool, usage, System::nanoTime, "u" + streams.incrementAndGet());
    }
    listener.onStreamOpened();
    return new ProcessingStream(
        out,
        tables,
        models,
        listener,
        reporting,
        WireContract.POOL_HEADER,
        decisionHeader ? WireContract.DECISION_HEADER : null,
        "s" + streams.incrementAndGet());
  }
}
