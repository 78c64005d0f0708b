package dev.semlb.e2e.support;

import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.extproc.ExtProcServer;
import dev.semlb.extproc.ServiceConfig;
import dev.semlb.worker.WorkProfile;
import dev.semlb.worker.WorkerConfig;
import dev.semlb.worker.WorkerServer;
import dev.semlb.xds.XdsConfig;
import dev.semlb.xds.XdsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * restart the services.)
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

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final Path workDir;
  private final Map<String, List<WorkerServer>> workers = new LinkedHashMap<>();
  private final Path poolsFile;
  private final Path routingFile;
  private final int extProcPort = FreePorts.next();
  private final int listenerPort = FreePorts.next();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private XdsServer xds;
  private boolean envoyRoutes;
  private int xdsPort;
  private ExtProcServer extProc;
  // A second ext-proc-service behind Envoy's ext_proc cluster, or none (replicaPort -1).
  private int replicaPort = -1;
  private ExtProcServer replica;
  private EnvoyProcess envoy;

  private TestCerts certs;

  private SemlbStack(Path workDir) {
    this.workDir = workDir;
    this.poolsFile = workDir.resolve("pools.yaml");
    this.routingFile = workDir.resolve("routing.yaml");
  }

  /**
   * As {@link #start}, with mutual TLS between Envoy and both services: each service has a
   * certificate from {@code certs} and requires Envoy's ({@code envoy}) client certificate.
   */
  public static SemlbStack startWithMtls(Path workDir, TestCerts certs) throws Exception {
    SemlbStack stack = new SemlbStack(workDir);
    stack.certs = certs;
    return booted(stack);
  }

  private dev.semlb.grpc.GrpcTls tls(String service) {
    return certs == null
        ? null
        : new dev.semlb.grpc.GrpcTls(certs.cert(service), certs.key(service), certs.ca());
  }

  /**
   * As {@link #start}, with two ext-proc-service replicas behind Envoy's ext_proc cluster (the
   * first is {@link #extProc()}, the second {@link #killExtProcReplica()} stops).
   */
  public static SemlbStack startWithTwoExtProcs(Path workDir) throws Exception {
    SemlbStack stack = new SemlbStack(workDir);
    stack.replicaPort = FreePorts.next();
    return booted(stack);
  }

  /**
   * Starts everything with xds-server reading this stack's routing.yaml too, so that the rules
   * Envoy can decide itself are native routes (as {@code scripts/run-local.sh} runs it).
   */
  public static SemlbStack startWithEnvoyRoutes(Path workDir) throws Exception {
    SemlbStack stack = new SemlbStack(workDir);
    stack.envoyRoutes = true;
    return booted(stack);
  }

  /** Starts everything and waits until Envoy routes by meaning. */
  public static SemlbStack start(Path workDir) throws Exception {
    return booted(new SemlbStack(workDir));
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
    Files.copy(
        EnvoyProcess.repoRoot().resolve("config/routing.yaml"),
        routingFile,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // The decision head the routing config names, beside it as in config/.
    Files.copy(
        EnvoyProcess.repoRoot().resolve("config/routing-head.json"),
        workDir.resolve("routing-head.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    startXds(0);
    xdsPort = xds.port();
    startExtProc();
    if (replicaPort > 0) {
      replica = ExtProcServer.start(extProcConfig(replicaPort));
    }
    int adminPort = FreePorts.next();
    Path root = EnvoyProcess.repoRoot();
    String bootstrap =
        EnvoyProcess.render(
            root.resolve("envoy/envoy.yaml"),
            Map.of(8080, listenerPort, 9901, adminPort, 50051, extProcPort, 18000, xds.port()));
    if (replicaPort > 0) {
      bootstrap = EnvoyProcess.withSecondEndpoint(bootstrap, extProcPort, replicaPort);
    }
    if (certs != null) {
      Path cert = certs.issue("envoy");
      bootstrap =
          EnvoyProcess.withUpstreamMtls(
              bootstrap,
              "semlb_ext_proc",
              "ext-proc-service",
              cert,
              certs.key("envoy"),
              certs.ca());
      bootstrap =
          EnvoyProcess.withUpstreamMtls(
              bootstrap, "semlb_xds", "xds-server", cert, certs.key("envoy"), certs.ca());
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
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Served served = send(new LabelledRequest("fast-path", "GET", "/healthz", "", ""));
      if (served.status() == 200 && "fast-path".equals(served.pool())) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Envoy did not route /healthz to fast-path within 20s");
  }

  /** Sends one request through Envoy. */
  public Served send(LabelledRequest r, String... headers) throws Exception {
    HttpRequest.BodyPublisher body =
        r.body().isEmpty()
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(r.body());
    return send(r.method(), r.path(), r.contentType(), body, headers);
  }

  /** Sends one request through Envoy with any body. */
  public Served send(
      String method,
      String path,
      String contentType,
      HttpRequest.BodyPublisher body,
      String... headers)
      throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listenerPort + path))
            .timeout(Duration.ofSeconds(15))
            .method(method, body);
    if (!contentType.isEmpty()) {
      builder.header("content-type", contentType);
    }
    if (headers.length > 0) {
      builder.headers(headers);
    }
    HttpResponse<String> response =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    String decision = null;
    if (response.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
      com.fasterxml.jackson.databind.JsonNode json = JSON.readTree(response.body());
      decision = json.path("decision").isTextual() ? json.path("decision").asText() : null;
    }
    return new Served(
        response.statusCode(),
        response.headers().firstValue("x-served-by-pool").orElse(null),
        response.headers().firstValue("x-served-by-worker").orElse(null),
        decision);
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
    extProc = ExtProcServer.start(extProcConfig(extProcPort).withCostSeed(costSeed));
  }

  private ServiceConfig extProcConfig(int port) {
    return new ServiceConfig(
        "127.0.0.1",
        port,
        routingFile,
        8,
        Duration.ZERO,
        true,
        true,
        null,
        null,
        new dev.semlb.admin.AdminConfig("127.0.0.1", 0, ""),
        true,
        tls("ext-proc-service"));
  }

  /** Stops the second ext-proc-service abruptly (a stack from {@link #startWithTwoExtProcs}). */
  public void killExtProcReplica() throws InterruptedException {
    replica.kill();
    replica.awaitTermination();
  }

  /** The ports of the ext-proc-service replicas, the first {@link #extProc()}'s. */
  public List<Integer> extProcPorts() {
    return replicaPort > 0 ? List.of(extProcPort, replicaPort) : List.of(extProcPort);
  }

  /**
   * Replaces the ext-proc-service with a processor that accepts every ext_proc stream and never
   * answers, nor its gRPC health checks (a classifier stalled past Envoy's message timeout, as
   * SIGSTOP would leave it: connections accepted, nothing answered). Close the returned server,
   * then {@link #startExtProc()}, to restore.
   */
  public AutoCloseable stallExtProc() throws Exception {
    killExtProc();
    return StalledExtProc.start(extProcPort);
  }

  /** Stops the xds-server abruptly, as a crash would; Envoy keeps what it last received. */
  public void killXds() {
    xds.kill();
  }

  /** Starts a new xds-server on the same ports, reading this stack's pools.yaml. */
  public void restartXds() throws Exception {
    startXds(xdsPort);
  }

  private void startXds(int port) throws Exception {
    xds =
        XdsServer.start(
            new XdsConfig(
                "127.0.0.1",
                port,
                poolsFile,
                Duration.ofSeconds(1),
                Duration.ZERO,
                true,
                new dev.semlb.admin.AdminConfig("127.0.0.1", 0, ""),
                "",
                tls("xds-server"),
                envoyRoutes ? routingFile : null));
  }

  /** The running ext-proc-service. */
  public ExtProcServer extProc() {
    return extProc;
  }

  /** Replaces this stack's routing.yaml (as an operator's editor would). */
  public void overwriteRouting(String yaml) throws Exception {
    writeAtomically(routingFile, yaml);
  }

  /** Switches the measured stage on in this stack's routing.yaml (the shipped file has it off). */
  public void enableMeasured() throws Exception {
    String yaml = Files.readString(routingFile);
    String on = yaml.replace("measured:\n  enabled: false", "measured:\n  enabled: true");
    if (!on.contains("measured:\n  enabled: true")) {
      throw new IllegalStateException("no `measured: enabled:` in " + routingFile);
    }
    overwriteRouting(on);
  }

  /** This stack's routing.yaml. */
  public Path routingFile() {
    return routingFile;
  }

  /** Stops the ext-proc-service abruptly, as a crash would. */
  public void killExtProc() throws InterruptedException {
    extProc.kill();
    extProc.awaitTermination();
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
      String pool, int port, String id, dev.semlb.worker.Registration registration)
      throws Exception {
    return WorkerServer.start(new WorkerConfig(pool, "127.0.0.1", port, id, PROFILE, registration));
  }

  /** The running workers of {@code pool} that pools.yaml lists. */
  public List<WorkerServer> workers(String pool) {
    return List.copyOf(workers.get(pool));
  }

  /** The ext-proc-service gRPC port. */
  public int extProcPort() {
    return extProcPort;
  }

  /** Envoy's listener port (where clients send requests). */
  public int listenerPort() {
    return listenerPort;
  }

  /** The xds-server admin API base URL. */
  public URI xdsAdmin() {
    return URI.create("http://127.0.0.1:" + xds.adminPort());
  }

  /** Rewrites pools.yaml from the running workers. */
  public void writePools() throws Exception {
    StringBuilder yaml = new StringBuilder("pools:\n");
    workers.forEach(
        (pool, list) -> {
          yaml.append("  - name: ").append(pool).append("\n    endpoints:\n");
          list.forEach(w -> yaml.append("      - 127.0.0.1:").append(w.port()).append('\n'));
        });
    writeAtomically(poolsFile, yaml.toString());
  }

  /** Replaces pools.yaml with {@code yaml} (as an operator's editor would). */
  public void overwritePools(String yaml) throws Exception {
    writeAtomically(poolsFile, yaml);
  }

  private static void writeAtomically(Path file, String text) throws Exception {
    Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), text);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The running Envoy. */
  public EnvoyProcess envoy() {
    return envoy;
  }

  /** The xds-server. */
  public XdsServer xds() {
    return xds;
  }

  @Override
  public void close() throws Exception {
    if (envoy != null) {
      envoy.close();
    }
    if (extProc != null) {
      extProc.kill();
    }
    if (replica != null) {
      replica.kill();
    }
    if (xds != null) {
      xds.kill();
    }
    workers.values().forEach(list -> list.forEach(WorkerServer::close));
  }
}
