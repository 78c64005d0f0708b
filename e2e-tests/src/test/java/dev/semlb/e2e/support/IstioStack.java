package dev.semlb.e2e.support;

import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.extproc.ExtProcServer;
import dev.semlb.extproc.ServiceConfig;
import dev.semlb.worker.WorkProfile;
import dev.semlb.worker.WorkerConfig;
import dev.semlb.worker.WorkerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * semlb installed the Istio way, with Istio's own config generation: the harness {@code
 * k8s/istio/verify} (Istio's discovery server over Istio's fake Kubernetes client) renders a
 * kustomization of {@code k8s/}, and a real Envoy, started with an Istio node identity, takes its
 * whole configuration from it over ADS. Behind it run the real ext-proc-service and one real worker
 * per pool, each on its own loopback address (a "pod IP"), which the stack declares to the harness
 * as Pods and EndpointSlices ({@link IstioObjects}).
 *
 * <p>Not thread-safe; one test class owns a stack.
 */
public final class IstioStack implements AutoCloseable {

  /** Which Istio proxy Envoy plays. */
  public enum Role {
    /** The ingress gateway (node type router), installed by {@code k8s/istio}. */
    GATEWAY("k8s/istio"),
    /**
     * A client's sidecar (node type sidecar), installed by {@code
     * k8s/overlays/istio-sidecar-outbound}.
     */
    SIDECAR("k8s/overlays/istio-sidecar-outbound");

    private final String kustomization;

    Role(String kustomization) {
      this.kustomization = kustomization;
    }

    /** The kustomization directory (from the repository root) this role installs. */
    public String kustomization() {
      return kustomization;
    }
  }

  private static final WorkProfile PROFILE =
      new WorkProfile(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, SemlbStack.COST_HEADER);

  private final Role role;
  private final Path workDir;
  private final IstioObjects objects;
  private final Map<String, WorkerServer> workers = new LinkedHashMap<>();
  private ExtProcServer extProc;
  private IstioVerifyProcess discovery;
  private EnvoyProcess envoy;

  private IstioStack(Role role, Path workDir) {
    this.role = role;
    this.workDir = workDir.toAbsolutePath();
    this.objects = new IstioObjects(FreePorts.next(), FreePorts.next());
  }

  /** Starts everything and waits until Envoy routes a probe by meaning. */
  public static IstioStack start(Role role, Path workDir) throws Exception {
    IstioStack stack = new IstioStack(role, workDir);
    try {
      stack.boot();
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private void boot() throws Exception {
    Files.createDirectories(workDir);
    Path root = EnvoyProcess.repoRoot();
    Files.copy(
        root.resolve("config/routing.yaml"),
        workDir.resolve("routing.yaml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        root.resolve("config/routing-head.json"),
        workDir.resolve("routing-head.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    for (String pool : SemlbStack.POOLS) {
      String address = IstioObjects.workerAddress(pool);
      workers.put(
          pool, WorkerServer.start(new WorkerConfig(pool, address, 0, pool + "-istio", PROFILE)));
    }
    startExtProc();
    Map<String, Integer> workerPorts = new LinkedHashMap<>();
    workers.forEach((pool, w) -> workerPorts.put(pool, w.port()));
    Path objectsFile =
        Files.writeString(workDir.resolve("istio-objects.yaml"), objects.render(role, workerPorts));
    discovery =
        IstioVerifyProcess.start(
            root, List.of(root.resolve(role.kustomization())), objectsFile, workDir);
    int adminPort = FreePorts.next();
    envoy =
        EnvoyProcess.start(
            IstioBootstrap.render(role, adminPort, discovery.port()),
            adminPort,
            workDir.resolve("envoy"));
    awaitRouting();
    // Warm-up, unchecked: the classifier's first decisions in a fresh JVM (JIT, the embedding
    // model's first calls) can miss ext_proc's 200 ms message timeout on a busy machine, and such
    // a request is served fail-open by general. The tests then send the same workload for real.
    for (LabelledRequest r : WorkloadFile.read(root.resolve("scripts/workload.jsonl"))) {
      send(r);
    }
  }

  /** Starts (or restarts) ext-proc-service on its pod address. */
  public void startExtProc() throws Exception {
    extProc =
        ExtProcServer.start(
            new ServiceConfig(
                IstioObjects.EXT_PROC_ADDRESS,
                objects.extProcPort(),
                workDir.resolve("routing.yaml"),
                8,
                Duration.ZERO,
                false,
                true,
                null,
                null,
                new dev.semlb.admin.AdminConfig(IstioObjects.EXT_PROC_ADDRESS, 0, ""),
                true,
                null));
  }

  /** Stops ext-proc-service abruptly, as a crash would. */
  public void killExtProc() throws InterruptedException {
    extProc.kill();
    extProc.awaitTermination();
  }

  /** Waits until a probe reaches fast-path through the classifier (20 s at most). */
  public void awaitRouting() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Served last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = send(new LabelledRequest("fast-path", "GET", "/healthz", "", ""));
        if (last.status() == 200 && "fast-path".equals(last.pool())) {
          return;
        }
      } catch (java.io.IOException e) {
        // the listener is not there yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "Envoy (" + role + ") did not route /healthz to fast-path within 20s; last: " + last);
  }

  /**
   * Sends one request through Envoy, as a client of this role would (HTTP/1.1 on a plain socket:
   * the sidecar's client must name the workers Service as its Host).
   */
  public Served send(LabelledRequest r, String... headers) throws Exception {
    StringBuilder extra = new StringBuilder();
    if (!r.contentType().isEmpty()) {
      extra.append("Content-Type: ").append(r.contentType()).append("\r\n");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      extra.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    byte[] request =
        RawHttp.request(
            r.method(),
            r.path(),
            objects.clientHost(role),
            extra.toString(),
            r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    RawHttp.Answer answer =
        RawHttp.exchange(objects.clientAddress(role), request, Duration.ofSeconds(15));
    if (answer.status() < 0) {
      throw new java.io.IOException("no response from Envoy: " + answer.head());
    }
    return new Served(
        answer.status(),
        answer.header("x-served-by-pool"),
        answer.header("x-served-by-worker"),
        null);
  }

  /** The running Envoy. */
  public EnvoyProcess envoy() {
    return envoy;
  }

  /** The role Envoy plays. */
  public Role role() {
    return role;
  }

  @Override
  public void close() throws Exception {
    if (envoy != null) {
      envoy.close();
    }
    if (discovery != null) {
      discovery.close();
    }
    if (extProc != null) {
      extProc.kill();
    }
    workers.values().forEach(WorkerServer::close);
  }
}
