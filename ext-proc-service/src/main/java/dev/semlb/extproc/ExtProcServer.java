package dev.semlb.extproc;

import com.google.common.util.concurrent.MoreExecutors;
import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.cost.AccessLogHistory;
import dev.semlb.classifier.cost.CostStats;
import dev.semlb.classifier.embedding.ModelQueue;
import dev.semlb.classifier.embedding.OnnxEmbedder;
import dev.semlb.classifier.llm.LlmCounters;
import dev.semlb.classifier.models.ModelSelection;
import dev.semlb.config.ConfigException;
import dev.semlb.config.DaemonThreads;
import dev.semlb.config.FileWatcher;
import dev.semlb.config.Launcher;
import dev.semlb.config.PoolModels;
import dev.semlb.extproc.admin.AdminServer;
import dev.semlb.extproc.admin.DecisionLog;
import dev.semlb.extproc.feedback.FeedbackMetrics;
import dev.semlb.extproc.feedback.FeedbackReceiver;
import dev.semlb.extproc.feedback.SampledReporting;
import dev.semlb.extproc.metrics.ModelQueueMetrics;
import dev.semlb.extproc.metrics.ServiceMetrics;
import dev.semlb.extproc.processing.DecisionListener;
import dev.semlb.extproc.processing.ExternalProcessorService;
import dev.semlb.extproc.processing.StreamKinds;
import dev.semlb.extproc.routing.ModelsHolder;
import dev.semlb.extproc.routing.PipelineHolder;
import dev.semlb.extproc.usage.UsageMetrics;
import dev.semlb.extproc.warmup.LoopbackWarmUp;
import dev.semlb.grpc.Lifecycle;
import dev.semlb.grpc.ManagedGrpcServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running ext-proc-service: the ExternalProcessor, the access log receiver for cost feedback,
 * the standard gRPC health service and reflection on one port, plus the routing-config watcher.
 * This is the one place that wires the service; {@link Main} and tests both start it through {@link
 * #start}.
 *
 * <p>ext_proc messages are handled on Netty's event loop, where rules and the cache decide in
 * microseconds; model inference and LLM calls never run there (bounded pools). {@link #close} shuts
 * down gracefully: health goes NOT_SERVING, the drain delay lets Envoy move away, then in-flight
 * streams get a grace period before being cut.
 */
public final class ExtProcServer implements Launcher.Running, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ExtProcServer.class);

  /**
   * Pre-loads {@code costs} from an Envoy access log, as if its requests had just been served: they
   * count in the current window (one to two minutes) and live feedback takes over from them. Bad
   * lines are counted and skipped; only an unreadable file stops the start.
   */
  static void seed(CostStats costs, java.nio.file.Path file) throws IOException {
    AccessLogHistory.Summary summary =
        AccessLogHistory.read(file, AccessLogHistory.DEFAULT_MAX_BYTES, costs::record);
    CostStats.Totals totals = costs.totals();
    log.info(
        "measured costs seeded: {}; {} keys ({} evicted past the bound of {})",
        summary.format(),
        totals.keys(),
        totals.evicted(),
        totals.maxKeys());
  }

  private static final Duration GRACE = Duration.ofSeconds(5);

  /**
   * Warm-up rounds of the 10 made-up request shapes, when {@code --warmup} allows the time: 5
   * (about 2.3 s on 2 cores) left no request in the wrong pool after three restarts, as 30 did in 8
   * s (docs/reliability.md).
   */
  static final int WARMUP_ROUNDS = 5;

  private final Lifecycle lifecycle;
  private final ManagedGrpcServer server;
  private final PipelineHolder routing;
  private final AdminServer admin;

  private ExtProcServer(
      Lifecycle lifecycle, ManagedGrpcServer server, PipelineHolder routing, AdminServer admin) {
    this.lifecycle = lifecycle;
    this.server = server;
    this.routing = routing;
    this.admin = admin;
  }

  /** Loads the routing config, binds the port and starts serving. */
  public static ExtProcServer start(ServiceConfig config) throws IOException, ConfigException {
    Lifecycle lifecycle = new Lifecycle("ext-proc-service", config.drain(), GRACE);
    try {
      return start(config, lifecycle);
    } catch (IOException | ConfigException | RuntimeException e) {
      lifecycle.kill();
      throw e;
    }
  }

  private static ExtProcServer start(ServiceConfig config, Lifecycle lifecycle)
      throws IOException, ConfigException {
    // Model inference gets one thread per core (ONNX runs single-threaded per call), with
    // admission control (a call that cannot finish within its request's budget is shed at
    // once); LLM calls block on the network and get their own pool. Both queues are bounded:
    // when full, the stage passes and the request still gets a pool.
    int cores = Runtime.getRuntime().availableProcessors();
    ModelQueue inference =
        ModelQueue.bounded(
            lifecycle.shutDownOnStop(
                new ThreadPoolExecutor(
                    cores,
                    cores,
                    60,
                    TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(1024),
                    DaemonThreads.named("ext-proc-service-inference-"))));
    ThreadPoolExecutor llm =
        lifecycle.shutDownOnStop(
            new ThreadPoolExecutor(
                config.threads(),
                config.threads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256),
                DaemonThreads.named("ext-proc-service-llm-")));
    // Measured costs outlive reloads: Envoy's access log feeds them, the measured stage reads them.
    CostStats costs = new CostStats();
    if (config.costSeed() != null) {
      seed(costs, config.costSeed());
    }
    ClassifierResources resources =
        new ClassifierResources(
            config.embedding()
                ? OnnxEmbedder.load(
                    RoutingConfigLoader.load(config.routingFile(), false).embedding().model())
                : null,
            inference,
            llm,
            new LlmCounters(),
            costs);
    UnaryOperator<RoutingConfig> adjust =
        c ->
            config.ollamaBaseUrl() == null
                ? c
                : c.withLlm(c.llm().at(config.ollamaBaseUrl(), config.ollamaModel()));
    PipelineHolder routing = PipelineHolder.load(config.routingFile(), resources, adjust);
    // Warm before the port opens, so that Envoy's first requests do not fail open for want of
    // loaded and compiled code (a reload reuses the warm code: only a start needs it). A failed
    // warm-up is logged and the service serves cold, as it would without one.
    try {
      log.info(
          "warm-up: {}",
          LoopbackWarmUp.run(routing, WARMUP_ROUNDS, config.warmup(), System::nanoTime).format());
    } catch (IOException | RuntimeException e) {
      log.warn("warm-up failed, serving cold: {}", e.toString());
    }
    // Model selection (LLM gateway) reads the models from the pools file xds-server serves.
    ModelsHolder models =
        config.poolsFile() == null
            ? null
            : ModelsHolder.load(config.poolsFile(), Clock.systemUTC());
    ScheduledExecutorService scheduler =
        lifecycle.shutDownOnStop(
            Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("ext-proc-service-config-")));
    // The transport runs on Netty's event loop (a thread hop per message cost more CPU than
    // the whole rules path); requests that need the model stages are answered from the
    // inference or LLM thread their last model call completed on.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DecisionLog decisions = new DecisionLog(1000, Clock.systemUTC());
    DecisionListener listener =
        DecisionListener.all(
            new ServiceMetrics(registry, routing, resources.llmCounters()), decisions);
    FeedbackReceiver feedback = new FeedbackReceiver(costs, routing, listener, registry);
    FeedbackMetrics.bind(registry, feedback, costs);
    ModelQueueMetrics.bind(registry, inference);
    // LLM usage per pool and model, from the observing ext_proc filter's streams; labels are
    // bounded by the pools file's models.
    UsageMetrics usage =
        new UsageMetrics(
            registry, models == null ? () -> PoolModels.NONE : () -> models.get().models());
    ManagedGrpcServer server =
        lifecycle.serve(
            config.host(),
            config.port(),
            MoreExecutors.directExecutor(),
            ExternalProcessorService.MAX_MESSAGE_BYTES,
            List.of(
                StreamKinds.bind(
                    new ExternalProcessorService(
                        routing,
                        models == null ? () -> ModelSelection.OFF : models,
                        listener,
                        config.decisionHeader(),
                        usage::record,
                        new SampledReporting(costs, routing))),
                feedback),
            config.tls());
    AdminServer admin =
        lifecycle.closeOnStop(
            config.admin().enabled()
                ? AdminServer.start(config.admin(), routing, decisions, registry, costs, usage)
                : null);
    if (config.watch()) {
      lifecycle.closeOnStop(
          new FileWatcher(
              config.routingFile(),
              Duration.ofMillis(200),
              Duration.ofSeconds(5),
              scheduler,
              file -> routing.reload()));
    }
    if (config.watch() && models != null) {
      lifecycle.closeOnStop(
          new FileWatcher(
              models.file(),
              Duration.ofMillis(200),
              Duration.ofSeconds(5),
              scheduler,
              file -> models.reload()));
    }
    RoutingConfig loaded = routing.get().config();
    // A retrained head model reloads like a routing.yaml edit (the file named at start-up).
    if (config.watch() && loaded.head().enabled()) {
      lifecycle.closeOnStop(
          new FileWatcher(
              loaded.head().modelFile(),
              Duration.ofMillis(200),
              Duration.ofSeconds(5),
              scheduler,
              file -> routing.reload()));
    }
    log.info(
        "ext-proc-service listening on {}:{} with {} ({} pools, {} rules, head {}, embedding {}, llm {}, models {})",
        config.host(),
        server.port(),
        config.routingFile(),
        loaded.pools().size(),
        loaded.rules().size(),
        loaded.head().enabled() ? loaded.head().modelFile() : "off",
        resources.embedder() != null && loaded.embedding().enabled() ? "on" : "off",
        loaded.llm().enabled() ? loaded.llm().model() + " at " + loaded.llm().baseUrl() : "off",
        models == null || !models.get().enabled()
            ? "off"
            : models.get().models().modelByPool() + " from " + models.file());
    return new ExtProcServer(lifecycle, server, routing, admin);
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The routing table holder, for reloads and inspection. */
  public PipelineHolder routing() {
    return routing;
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    lifecycle.awaitTermination();
  }

  /** Stops at once, cutting open streams, as a crash would. */
  public void kill() {
    lifecycle.kill();
  }

  /** Stops gracefully ({@link Lifecycle#close}). */
  @Override
  public void close() {
    lifecycle.close();
  }

  /** The admin API's port, or -1 when it is off. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }
}
