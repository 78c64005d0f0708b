package dev.semlb.xds;

import dev.semlb.admin.AdminConfig;
import dev.semlb.config.Flags;
import dev.semlb.grpc.GrpcTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the xds-server runs. Immutable; validated on construction.
 *
 * @param host bind address. The default is {@code 0.0.0.0}
 * @param port ADS gRPC port; 0 picks a free one. The default is 18000
 * @param poolsFile the pools config. The default is {@code config/pools.yaml}
 * @param resolveInterval how often endpoint host names are re-resolved. The default is 10s
 * @param drain how long health reports NOT_SERVING before stopping. The default is 1s
 * @param watch whether the pools file is watched and reloaded on change. The default is true
 * @param admin where the admin API (metrics, /api/pools) listens; loopback :9091 by default
 * @param kubernetesNamespace namespace whose EndpointSlices feed the pools' Kubernetes Services; ""
 *     (the default) turns Kubernetes discovery off
 * @param tls TLS (mutual with a client CA) for the ADS port, or null for plaintext (the default)
 * @param routingFile the classifier's {@code routing.yaml}, whose pools are checked against the
 *     pools file at start-up (mismatches are logged as warnings), or null (the default) for no
 *     check
 */
public record XdsConfig(
    String host,
    int port,
    Path poolsFile,
    Duration resolveInterval,
    Duration drain,
    boolean watch,
    AdminConfig admin,
    String kubernetesNamespace,
    GrpcTls tls,
    Path routingFile) {

  /** Validates every field. */
  public XdsConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(poolsFile, "poolsFile");
    Objects.requireNonNull(resolveInterval, "resolveInterval");
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(kubernetesNamespace, "kubernetesNamespace");
    if (!kubernetesNamespace.isEmpty()
        && !kubernetesNamespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "kubernetesNamespace: '"
              + kubernetesNamespace
              + "' (expected: a Kubernetes namespace name)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    if (resolveInterval.toMillis() < 100) {
      throw new IllegalArgumentException(
          "resolveInterval: " + resolveInterval + " (expected: >= 100ms)");
    }
  }

  /** Without a routing file to check the pools against. */
  public XdsConfig(
      String host,
      int port,
      Path poolsFile,
      Duration resolveInterval,
      Duration drain,
      boolean watch,
      AdminConfig admin,
      String kubernetesNamespace,
      GrpcTls tls) {
    this(
        host,
        port,
        poolsFile,
        resolveInterval,
        drain,
        watch,
        admin,
        kubernetesNamespace,
        tls,
        null);
  }

  /** Without the admin API, for tests and tools. */
  public XdsConfig(
      String host,
      int port,
      Path poolsFile,
      Duration resolveInterval,
      Duration drain,
      boolean watch) {
    this(
        host,
        port,
        poolsFile,
        resolveInterval,
        drain,
        watch,
        new AdminConfig("127.0.0.1", -1, ""),
        "",
        null);
  }

  /** Without Kubernetes discovery. */
  public XdsConfig(
      String host,
      int port,
      Path poolsFile,
      Duration resolveInterval,
      Duration drain,
      boolean watch,
      AdminConfig admin) {
    this(host, port, poolsFile, resolveInterval, drain, watch, admin, "", null);
  }

  /**
   * Reads {@code --host --port --pools --resolve-interval --drain --watch --admin-host --admin-port
   * --admin-token --kubernetes-namespace --tls-cert --tls-key --tls-client-ca --routing} (or
   * SEMLB_*).
   */
  public static XdsConfig fromFlags(Flags flags) {
    return new XdsConfig(
        flags.string("host", "0.0.0.0"),
        flags.integer("port", 18000, 0, 65535),
        flags.existingFile("pools", "config/pools.yaml"),
        flags.duration("resolve-interval", Duration.ofSeconds(10)),
        flags.duration("drain", Duration.ofSeconds(1)),
        flags.bool("watch", true),
        new AdminConfig(
            flags.string("admin-host", "127.0.0.1"),
            flags.integer("admin-port", 9091, -1, 65535),
            flags.string("admin-token", "")),
        flags.string("kubernetes-namespace", ""),
        GrpcTls.fromFlags(flags),
        flags.string("routing", null) == null ? null : flags.existingFile("routing", null));
  }
}
