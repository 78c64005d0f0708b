package dev.semlb.e2e.support;

import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.extproc.ExtProcServer;
import dev.semlb.worker.Registration;
import dev.semlb.worker.WorkProfile;
import dev.semlb.worker.WorkerConfig;
import dev.semlb.worker.WorkerServer;
import dev.semlb.xds.XdsServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system on free loopback ports: one worker per pool, the real xds-server and
 * ext-proc-service (in this JVM, on real sockets) and a real Envoy process running the shipped
 * {@code envoy/envoy.yaml}. Tests talk to Envoy only, as a client would. ITs get one through {@link
 * SemlbStackExtension}. (The bench starts the same parts as separate processes, {@code
 * bench/e2e/stack.py}, to measure each; this one stays in-process so tests can reach into, kill and
 * restart the services.) Its parts: {@link StackFiles}, {@link StackServices}, {@link StackClient}.
 */
public final class SemlbStack implements AutoCloseable {

  /** The pools of the shipped routing config. */
  public static final List<String> POOLS = List.of("general", "high-compute", "fast-path");

  /**
   * A request carrying this header with a number of milliseconds takes that long at any of the
   * stack's workers (whose work is otherwise instant): how tests give a request shape a cost.
   */
  public static final String COST_HEADER = "x-semlb-test-cost";

  private static final WorkProfile PROFILE =
      new WorkProfile(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, COST_HEADER);

  private final Path workDir;
  private final TestCerts certs;
  private final StackFiles files;
  private final StackServices services;
  private final Map<String, List<WorkerServer>> workers = new LinkedHashMap<>();
  private final int listenerPort = FreePorts.next();
  private final StackClient client = new StackClient(listenerPort);
  private EnvoyProcess envoy;

  private SemlbStack(Path workDir, TestCerts certs, boolean twoExtProcs, boolean envoyRoutes) {
    this.workDir = workDir;
    this.certs = certs;
    this.files = new StackFiles(workDir);
    this.services = new StackServices(files, certs, twoExtProcs, envoyRoutes);
  }

  /**
   * As {@link #start}, with mutual TLS between Envoy and both services: each service has a
   * certificate from {@code certs} and requires Envoy's ({@code envoy}) client certificate.
   */
  public static SemlbStack startWithMtls(Path workDir, TestCerts certs) throws Exception {
    return booted(new SemlbStack(workDir, certs, false, false));
  }

  /**
   * As {@link #start}, with two ext-proc-service replicas behind Envoy's ext_proc cluster (the
   * first is {@link #extProc()}, the second {@link #killExtProcReplica()} stops).
   */
  public static SemlbStack startWithTwoExtProcs(Path workDir) throws Exception {
    return booted(new SemlbStack(workDir, null, true, false));
  }

  /**
   * Starts everything with xds-server reading this stack's routing.yaml too, so that the rules
   * Envoy can decide itself are native routes (as {@code scripts/run-local.sh} runs it).
   */
  public static SemlbStack startWithEnvoyRoutes(Path workDir) throws Exception {
    return booted(new SemlbStack(workDir, null, false, true));
  }

  /** Starts everything and waits until Envoy routes by meaning. */
  public static SemlbStack start(Path workDir) throws Exception {
    return booted(new SemlbStack(workDir, null, false, false));
  }

  private static SemlbStack booted(SemlbStack stack) throws Exception {
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
    if (certs != null) {
      certs.issue("ext-proc-service");
      certs.issue("xds-server");
    }
    for (String pool : POOLS) {
      workers.put(pool, new ArrayList<>(List.of(startWorker(pool))));
    }
    writePools();
    files.copyShippedRouting();
    services.startAll();
    int adminPort = FreePorts.next();
    String bootstrap =
        EnvoyProcess.render(
            EnvoyProcess.repoRoot().resolve("envoy/envoy.yaml"),
            Map.of(8080, listenerPort, 9901, adminPort, 50051, extProcPort(), 18000, xds().port()));
    bootstrap = services.withReplica(bootstrap);
    if (certs != null) {
      Path cert = certs.issue("envoy");
      Path key = certs.key("envoy");
      bootstrap =
          EnvoyProcess.withUpstreamMtls(
              bootstrap, "semlb_ext_proc", "ext-proc-service", cert, key, certs.ca());
      bootstrap =
          EnvoyProcess.withUpstreamMtls(
              bootstrap, "semlb_xds", "xds-server", cert, key, certs.ca());
    }
    envoy = EnvoyProcess.start(bootstrap, adminPort, workDir.resolve("envoy"));
    awaitRouting();
  }

  private static WorkerServer startWorker(String pool) throws Exception {
    return WorkerServer.start(
        new WorkerConfig(pool, "127.0.0.1", 0, pool + "-" + System.nanoTime() % 100_000, PROFILE));
  }

  /** Waits until a probe reaches fast-path through the classifier. */
  public void awaitRouting() throws Exception {
    client.awaitRouting();
  }

  /** Sends one request through Envoy. */
  public Served send(LabelledRequest r, String... headers) throws Exception {
    return client.send(r, headers);
  }

  /** Sends one request through Envoy with any body. */
  public Served send(
      String method,
      String path,
      String contentType,
      HttpRequest.BodyPublisher body,
      String... headers)
      throws Exception {
    return client.send(method, path, contentType, body, headers);
  }

  /** Starts (or restarts) the ext-proc-service on its port, watching this stack's routing.yaml. */
  public void startExtProc() throws Exception {
    startExtProc(null);
  }

  /**
   * As {@link #startExtProc()}, with the measured costs seeded from the Envoy JSON access log
   * {@code costSeed} (as {@code --cost-seed} does; null for none).
   */
  public void startExtProc(Path costSeed) throws Exception {
    services.startExtProc(costSeed);
  }

  /** Stops the second ext-proc-service abruptly (a stack from {@link #startWithTwoExtProcs}). */
  public void killExtProcReplica() throws InterruptedException {
    services.killExtProcReplica();
  }

  /** The ports of the ext-proc-service replicas, the first {@link #extProc()}'s. */
  public List<Integer> extProcPorts() {
    return services.extProcPorts();
  }

  /**
   * Replaces the ext-proc-service with a processor that accepts every ext_proc stream and never
   * answers, nor its gRPC health checks (a classifier stalled past Envoy's message timeout, as
   * SIGSTOP would leave it: connections accepted, nothing answered). Close the returned server,
   * then {@link #startExtProc()}, to restore.
   */
  public AutoCloseable stallExtProc() throws Exception {
    return services.stallExtProc();
  }

  /** Stops the xds-server abruptly, as a crash would; Envoy keeps what it last received. */
  public void killXds() {
    services.xds().kill();
  }

  /** Starts a new xds-server on the same ports, reading this stack's pools.yaml. */
  public void restartXds() throws Exception {
    services.restartXds();
  }

  /** The running ext-proc-service. */
  public ExtProcServer extProc() {
    return services.extProc();
  }

  /** Replaces this stack's routing.yaml (as an operator's editor would). */
  public void overwriteRouting(String yaml) throws Exception {
    files.overwriteRouting(yaml);
  }

  /** Switches the measured stage on in this stack's routing.yaml (the shipped file has it off). */
  public void enableMeasured() throws Exception {
    files.enableMeasured();
  }

  /** This stack's routing.yaml. */
  public Path routingFile() {
    return files.routingFile();
  }

  /** Stops the ext-proc-service abruptly, as a crash would. */
  public void killExtProc() throws InterruptedException {
    services.killExtProc();
  }

  /** Starts one more worker for {@code pool} and lists it in pools.yaml. */
  public WorkerServer addWorker(String pool) throws Exception {
    WorkerServer worker = startWorker(pool);
    workers.get(pool).add(worker);
    writePools();
    return worker;
  }

  /**
   * Starts a worker for {@code pool} that this stack neither lists in pools.yaml nor stops; the
   * caller owns it. Port 0 picks a free one.
   */
  public static WorkerServer startUnlisted(
      String pool, int port, String id, Registration registration) throws Exception {
    return WorkerServer.start(new WorkerConfig(pool, "127.0.0.1", port, id, PROFILE, registration));
  }

  /** The running workers of {@code pool} that pools.yaml lists. */
  public List<WorkerServer> workers(String pool) {
    return List.copyOf(workers.get(pool));
  }

  /** The ext-proc-service gRPC port. */
  public int extProcPort() {
    return services.extProcPort();
  }

  /** Envoy's listener port (where clients send requests). */
  public int listenerPort() {
    return listenerPort;
  }

  /** The xds-server admin API base URL. */
  public URI xdsAdmin() {
    return URI.create("http://127.0.0.1:" + xds().adminPort());
  }

  /** Rewrites pools.yaml from the running workers. */
  public void writePools() throws Exception {
    files.writePools(workers);
  }

  /** Replaces pools.yaml with {@code yaml} (as an operator's editor would). */
  public void overwritePools(String yaml) throws Exception {
    files.overwritePools(yaml);
  }

  /** The running Envoy. */
  public EnvoyProcess envoy() {
    return envoy;
  }

  /** The xds-server. */
  public XdsServer xds() {
    return services.xds();
  }

  @Override
  public void close() throws Exception {
    if (envoy != null) {
      envoy.close();
    }
    services.killAll();
    workers.values().forEach(list -> list.forEach(WorkerServer::close));
  }
}
