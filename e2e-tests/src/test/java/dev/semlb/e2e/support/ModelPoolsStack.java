package dev.semlb.e2e.support;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.extproc.ExtProcServer;
import dev.semlb.extproc.ServiceConfig;
import dev.semlb.worker.WorkProfile;
import dev.semlb.worker.WorkerConfig;
import dev.semlb.worker.WorkerServer;
import dev.semlb.worker.llm.LlmProfile;
import dev.semlb.xds.XdsConfig;
import dev.semlb.xds.XdsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The LLM gateway stack for model ITs: one demo model server per pool ({@code code}, {@code chat},
 * {@code fast}, each serving its model from {@link #MODELS}), a pools file naming those models,
 * xds-server and ext-proc-service reading it, and the real Envoy with the shipped {@code
 * envoy/envoy.yaml}. Closing stops everything it started, in reverse order.
 */
public final class ModelPoolsStack implements AutoCloseable {

  /** The model each pool's demo server serves. */
  public static final Map<String, String> MODELS =
      Map.of("code", "demo-code-7b", "chat", "demo-chat-8b", "fast", "demo-fast-1b");

  private final List<WorkerServer> workers = new ArrayList<>();
  private XdsServer xds;
  private ExtProcServer extProc;
  private EnvoyProcess envoy;
  private int listenerPort;
  private StackClient client;
  private int extProcAdminPort = -1;

  private ModelPoolsStack() {}

  /**
   * Starts the stack.
   *
   * @param dir where the pools file and Envoy's files go
   * @param routingFile the routing config ext-proc-service reads
   * @param embedding whether ext-proc-service loads the embedding model
   * @param profile each model's serving profile (token rate, time to first token, reply length)
   */
  public static ModelPoolsStack start(
      Path dir, Path routingFile, boolean embedding, Function<String, LlmProfile> profile)
      throws Exception {
    return start(dir, routingFile, embedding, profile, false, pool -> "");
  }

  /**
   * Starts the stack; with {@code admin}, ext-proc-service's admin API (and {@code /metrics}) too,
   * on a free loopback port without a token ({@link #extProcAdminPort()}).
   */
  public static ModelPoolsStack start(
      Path dir,
      Path routingFile,
      boolean embedding,
      Function<String, LlmProfile> profile,
      boolean admin)
      throws Exception {
    return start(dir, routingFile, embedding, profile, admin, pool -> "");
  }

  /**
   * Starts the stack, optionally with ext-proc-service's admin API, and more keys for some pools.
   *
   * @param poolKeys per pool name, extra YAML keys of its pools-file entry (e.g. {@code
   *     "healthCheck: { path: /healthz }"}), or ""
   */
  public static ModelPoolsStack start(
      Path dir,
      Path routingFile,
      boolean embedding,
      Function<String, LlmProfile> profile,
      boolean admin,
      Function<String, String> poolKeys)
      throws Exception {
    ModelPoolsStack stack = new ModelPoolsStack();
    try {
      stack.startAll(dir, routingFile, embedding, profile, admin, poolKeys);
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(
      Path dir,
      Path routingFile,
      boolean embedding,
      Function<String, LlmProfile> profile,
      boolean admin,
      Function<String, String> poolKeys)
      throws Exception {
    Files.createDirectories(dir);
    StringBuilder pools = new StringBuilder("defaultPool: chat\npools:\n");
    for (String pool : List.of("code", "chat", "fast")) {
      WorkerServer worker =
          WorkerServer.start(
              new WorkerConfig(
                  pool,
                  "127.0.0.1",
                  0,
                  pool + "-1",
                  new WorkProfile(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, "x-unused"),
                  null,
                  profile.apply(MODELS.get(pool))));
      workers.add(worker);
      pools
          .append("  - name: ")
          .append(pool)
          .append("\n    model: ")
          .append(MODELS.get(pool))
          .append("\n    endpoints: [\"127.0.0.1:")
          .append(worker.port())
          .append("\"]\n");
      String keys = poolKeys.apply(pool);
      if (!keys.isEmpty()) {
        pools.append("    ").append(keys).append('\n');
      }
    }
    Path poolsFile = Files.writeString(dir.resolve("pools.yaml"), pools);
    dev.semlb.admin.AdminConfig noAdmin = new dev.semlb.admin.AdminConfig("127.0.0.1", -1, "");
    xds =
        XdsServer.start(
            new XdsConfig(
                "127.0.0.1",
                0,
                poolsFile,
                Duration.ofSeconds(1),
                Duration.ZERO,
                false,
                noAdmin,
                "",
                null,
                null));
    int extProcPort = FreePorts.next();
    extProc =
        ExtProcServer.start(
            new ServiceConfig(
                    "127.0.0.1",
                    extProcPort,
                    routingFile,
                    8,
                    Duration.ZERO,
                    false,
                    embedding,
                    null,
                    null,
                    admin
                        ? new dev.semlb.admin.AdminConfig("127.0.0.1", FreePorts.next(), "")
                        : noAdmin,
                    true)
                .withPoolsFile(poolsFile));
    extProcAdminPort = extProc.adminPort();
    listenerPort = FreePorts.next();
    int adminPort = FreePorts.next();
    String bootstrap =
        EnvoyProcess.render(
            EnvoyProcess.repoRoot().resolve("envoy/envoy.yaml"),
            Map.of(8080, listenerPort, 9901, adminPort, 50051, extProcPort, 18000, xds.port()));
    envoy = EnvoyProcess.start(bootstrap, adminPort, dir.resolve("envoy"));
    client = new StackClient(listenerPort);
  }

  /** Envoy's listener port (the shipped config's :8080). */
  public int listenerPort() {
    return listenerPort;
  }

  /**
   * Sends one labelled request through Envoy, as a user would; the answer names the pool whose
   * model server served it ({@code x-served-by-pool}).
   */
  public Served send(LabelledRequest r) throws Exception {
    return client.send(r);
  }

  /**
   * Sends {@code probe} until its pool's model server answers it (Envoy listening, its clusters and
   * the classifier ready).
   *
   * @throws IllegalStateException when that does not happen within {@code timeout}
   */
  public void awaitRouted(LabelledRequest probe, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        Served served = send(probe);
        if (served.status() == 200 && probe.expectedPool().equals(served.pool())) {
          return;
        }
      } catch (java.io.IOException e) {
        // Envoy not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Envoy did not route " + probe.describe() + " within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  /** The routing config ext-proc-service has loaded now. */
  public Pipeline routing() {
    if (extProc == null) {
      throw new IllegalStateException("ext-proc-service was stopped (killExtProc)");
    }
    return extProc.routing().get();
  }

  /** ext-proc-service's admin API port, or -1 when started without it. */
  public int extProcAdminPort() {
    return extProcAdminPort;
  }

  /** The real Envoy, for its admin API and stats. */
  public EnvoyProcess envoy() {
    return envoy;
  }

  /** Stops ext-proc-service at once, as a crash would. */
  public void killExtProc() {
    if (extProc != null) {
      extProc.kill();
      extProc = null;
    }
  }

  /** Stops {@code pool}'s demo model server (its port then refuses connections). */
  public void stopWorker(String pool) {
    workers.removeIf(
        worker -> {
          if (!worker.pool().equals(pool)) {
            return false;
          }
          worker.close();
          return true;
        });
  }

  @Override
  public void close() throws Exception {
    if (envoy != null) {
      envoy.close();
    }
    if (extProc != null) {
      extProc.kill();
    }
    if (xds != null) {
      xds.kill();
    }
    workers.forEach(WorkerServer::close);
  }
}
