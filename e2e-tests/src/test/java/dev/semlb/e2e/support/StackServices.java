package dev.semlb.e2e.support;

import dev.semlb.admin.AdminConfig;
import dev.semlb.extproc.ExtProcServer;
import dev.semlb.extproc.ServiceConfig;
import dev.semlb.grpc.GrpcTls;
import dev.semlb.xds.XdsConfig;
import dev.semlb.xds.XdsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The services of a {@link SemlbStack} that Envoy talks to, in this JVM on real sockets: the
 * xds-server and one or two ext-proc-service replicas (the first on {@link #extProcPort()}), with
 * the ways tests start, kill, stall and restart them.
 */
final class StackServices {

  private final StackFiles files;
  private final TestCerts certs;
  private final boolean envoyRoutes;
  private final int extProcPort = FreePorts.next();
  // The second ext-proc-service's port, or -1 for none.
  private final int replicaPort;
  private XdsServer xds;
  private int xdsPort;
  private ExtProcServer extProc;
  private ExtProcServer replica;

  /**
   * @param certs each service's certificate and the CA that Envoy's must chain to, or null for
   *     plaintext; the certificates are read at each start, so they may be issued after this
   * @param twoExtProcs whether a second ext-proc-service runs beside the first
   * @param envoyRoutes whether xds-server reads routing.yaml too (native routes)
   */
  StackServices(StackFiles files, TestCerts certs, boolean twoExtProcs, boolean envoyRoutes) {
    this.files = files;
    this.certs = certs;
    this.envoyRoutes = envoyRoutes;
    this.replicaPort = twoExtProcs ? FreePorts.next() : -1;
  }

  private GrpcTls tls(String service) {
    return certs == null ? null : new GrpcTls(certs.cert(service), certs.key(service), certs.ca());
  }

  /** Starts the xds-server on a free port, then the ext-proc-service replicas. */
  void startAll() throws Exception {
    startXds(0);
    xdsPort = xds.port();
    startExtProc(null);
    if (replicaPort > 0) {
      replica = ExtProcServer.start(extProcConfig(replicaPort));
    }
  }

  /** Starts a new xds-server on the port of the first one. */
  void restartXds() throws Exception {
    startXds(xdsPort);
  }

  private void startXds(int port) throws Exception {
    xds =
        XdsServer.start(
            new XdsConfig(
                "127.0.0.1",
                port,
                files.poolsFile(),
                Duration.ofSeconds(1),
                Duration.ZERO,
                true,
                new AdminConfig("127.0.0.1", 0, ""),
                "",
                tls("xds-server"),
                envoyRoutes ? files.routingFile() : null));
  }

  /**
   * Starts (or restarts) the first ext-proc-service, with the measured costs seeded from the Envoy
   * JSON access log {@code costSeed} (null for none).
   */
  void startExtProc(Path costSeed) throws Exception {
    extProc = ExtProcServer.start(extProcConfig(extProcPort).withCostSeed(costSeed));
  }

  private ServiceConfig extProcConfig(int port) {
    return new ServiceConfig(
        "127.0.0.1",
        port,
        files.routingFile(),
        8,
        Duration.ZERO,
        true,
        true,
        null,
        null,
        new AdminConfig("127.0.0.1", 0, ""),
        true,
        tls("ext-proc-service"));
  }

  /** The Envoy bootstrap {@code bootstrap} with the second ext-proc-service, if there is one. */
  String withReplica(String bootstrap) {
    return replicaPort > 0
        ? EnvoyProcess.withSecondEndpoint(bootstrap, extProcPort, replicaPort)
        : bootstrap;
  }

  /** Stops the first ext-proc-service abruptly, as a crash would. */
  void killExtProc() throws InterruptedException {
    extProc.kill();
    extProc.awaitTermination();
  }

  /** Stops the second ext-proc-service abruptly. */
  void killExtProcReplica() throws InterruptedException {
    replica.kill();
    replica.awaitTermination();
  }

  /**
   * Kills the first ext-proc-service and listens on its port with a processor that never answers;
   * close the returned server, then {@link #startExtProc}, to restore.
   */
  AutoCloseable stallExtProc() throws Exception {
    killExtProc();
    return StalledExtProc.start(extProcPort);
  }

  /** The running xds-server. */
  XdsServer xds() {
    return xds;
  }

  /** The running first ext-proc-service. */
  ExtProcServer extProc() {
    return extProc;
  }

  /** The first ext-proc-service's gRPC port. */
  int extProcPort() {
    return extProcPort;
  }

  /** The ports of the ext-proc-service replicas, the first one's first. */
  List<Integer> extProcPorts() {
    return replicaPort > 0 ? List.of(extProcPort, replicaPort) : List.of(extProcPort);
  }

  /** Kills whichever services were started (ext-proc-services, then xds-server), not waiting. */
  void killAll() {
    if (extProc != null) {
      extProc.kill();
    }
    if (replica != null) {
      replica.kill();
    }
    if (xds != null) {
      xds.kill();
    }
  }
}
