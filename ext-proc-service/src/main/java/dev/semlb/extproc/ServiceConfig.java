package dev.semlb.extproc;

import dev.semlb.admin.AdminConfig;
import dev.semlb.config.Flags;
import dev.semlb.grpc.GrpcTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the ext-proc-service runs. Immutable; validated on construction.
 *
 * @param host address the gRPC server binds to. The default is {@code 0.0.0.0}
 * @param port gRPC port; 0 picks a free one. The default is 50051
 * @param routingFile the routing config (default {@code config/routing.yaml})
 * @param threads threads for blocking calls to an LLM server (the LLM stage). The default is 4 x
 *     cores, at least 8
 * @param drain how long health reports NOT_SERVING before the server stops. The default is 2s
 * @param watch whether the routing file is watched and reloaded on change. The default is true
 * @param embedding whether the in-process embedding model is loaded. The default is true
 * @param ollamaBaseUrl turns the LLM stage on ({@code OLLAMA_BASE_URL}); null leaves the config's
 * @param ollamaModel the LLM model ({@code OLLAMA_MODEL}); null leaves the config's (mistral)
 * @param admin where the admin HTTP API listens (loopback :9090 by default)
 * @param decisionHeader whether routed requests also get {@code x-semantic-decision} (stage and
 *     confidence). The default is false
 * @param tls TLS (mutual with a client CA) for the gRPC port, or null for plaintext (the default)
 * @param poolsFile the pools file whose {@code pools[].model} and {@code models} turn on model
 *     selection and rewrite (LLM gateway; watched like the routing file), or null for none (the
 *     default)
 * @param costSeed an Envoy JSON access log whose requests pre-load the measured costs at start
 *     ({@code --cost-seed}; docs/classifier.md, "Seeding from history"), or null for none (the
 *     default)
 * @param warmup the most time spent classifying made-up requests before serving ({@code --warmup};
 *     {@link dev.semlb.extproc.warmup.LoopbackWarmUp}), zero for none. The default is 10s from
 *     flags, zero from the constructors without it (tests)
 */
public record ServiceConfig(
    String host,
    int port,
    Path routingFile,
    int threads,
    Duration drain,
    boolean watch,
    boolean embedding,
    URI ollamaBaseUrl,
    String ollamaModel,
    AdminConfig admin,
    boolean decisionHeader,
    GrpcTls tls,
    Path poolsFile,
    Path costSeed,
    Duration warmup) {

  /** No pools file (no model selection). */
  public ServiceConfig(
      String host,
      int port,
      Path routingFile,
      int threads,
      Duration drain,
      boolean watch,
      boolean embedding,
      URI ollamaBaseUrl,
      String ollamaModel,
      AdminConfig admin,
      boolean decisionHeader,
      GrpcTls tls) {
    this(
        host,
        port,
        routingFile,
        threads,
        drain,
        watch,
        embedding,
        ollamaBaseUrl,
        ollamaModel,
        admin,
        decisionHeader,
        tls,
        null,
        null,
        Duration.ZERO);
  }

  /** Plaintext gRPC. */
  public ServiceConfig(
      String host,
      int port,
      Path routingFile,
      int threads,
      Duration drain,
      boolean watch,
      boolean embedding,
      URI ollamaBaseUrl,
      String ollamaModel,
      AdminConfig admin,
      boolean decisionHeader) {
    this(
        host,
        port,
        routingFile,
        threads,
        drain,
        watch,
        embedding,
        ollamaBaseUrl,
        ollamaModel,
        admin,
        decisionHeader,
        null,
        null,
        null,
        Duration.ZERO);
  }

  /** This config with model selection from {@code file} (null for none). */
  public ServiceConfig withPoolsFile(Path file) {
    return new ServiceConfig(
        host,
        port,
        routingFile,
        threads,
        drain,
        watch,
        embedding,
        ollamaBaseUrl,
        ollamaModel,
        admin,
        decisionHeader,
        tls,
        file,
        costSeed,
        warmup);
  }

  /** This config with the measured costs seeded from the access log {@code file} (null: none). */
  public ServiceConfig withCostSeed(Path file) {
    return new ServiceConfig(
        host,
        port,
        routingFile,
        threads,
        drain,
        watch,
        embedding,
        ollamaBaseUrl,
        ollamaModel,
        admin,
        decisionHeader,
        tls,
        poolsFile,
        file,
        warmup);
  }

  /** This config with up to {@code time} of warm-up before serving (zero: none). */
  public ServiceConfig withWarmup(Duration time) {
    return new ServiceConfig(
        host,
        port,
        routingFile,
        threads,
        drain,
        watch,
        embedding,
        ollamaBaseUrl,
        ollamaModel,
        admin,
        decisionHeader,
        tls,
        poolsFile,
        costSeed,
        time);
  }

  /** Validates every field. */
  public ServiceConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(routingFile, "routingFile");
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(warmup, "warmup");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    if (drain.isNegative()) {
      throw new IllegalArgumentException("drain: " + drain + " (expected: >= 0)");
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warmup: " + warmup + " (expected: >= 0)");
    }
  }

  /** The default thread count for this machine. */
  public static int defaultThreads() {
    return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
  }

  /** Rules-and-models defaults with no LLM override, for tests and tools. */
  public ServiceConfig(
      String host, int port, Path routingFile, int threads, Duration drain, boolean watch) {
    this(
        host,
        port,
        routingFile,
        threads,
        drain,
        watch,
        true,
        null,
        null,
        new AdminConfig("127.0.0.1", -1, ""),
        false);
  }

  /**
   * Reads {@code --host --port --routing --threads --drain --watch --embedding --admin-host
   * --admin-port --admin-token --decision-header --tls-cert --tls-key --tls-client-ca --pools
   * --cost-seed --warmup} (or SEMLB_* variables) and {@code OLLAMA_BASE_URL}, {@code OLLAMA_MODEL}
   * from the environment.
   */
  public static ServiceConfig fromFlags(Flags flags) {
    String ollama = flags.string("ollama-base-url", System.getenv("OLLAMA_BASE_URL"));
    URI ollamaUrl = null;
    if (ollama != null) {
      ollamaUrl = URI.create(ollama.trim());
      if (ollamaUrl.getScheme() == null
          || !ollamaUrl.getScheme().matches("https?")
          || ollamaUrl.getHost() == null) {
        throw new IllegalArgumentException(
            "OLLAMA_BASE_URL: '" + ollama + "' (expected: an http(s) URL)");
      }
    }
    return new ServiceConfig(
        flags.string("host", "0.0.0.0"),
        flags.integer("port", 50051, 0, 65535),
        flags.existingFile("routing", "config/routing.yaml"),
        flags.integer("threads", defaultThreads(), 1, 1024),
        flags.duration("drain", Duration.ofSeconds(2)),
        flags.bool("watch", true),
        flags.bool("embedding", true),
        ollamaUrl,
        flags.string("ollama-model", System.getenv("OLLAMA_MODEL")),
        new AdminConfig(
            flags.string("admin-host", "127.0.0.1"),
            flags.integer("admin-port", 9090, -1, 65535),
            flags.string("admin-token", "")),
        flags.bool("decision-header", false),
        GrpcTls.fromFlags(flags),
        flags.string("pools", null) == null ? null : flags.existingFile("pools", null),
        flags.string("cost-seed", null) == null ? null : flags.existingFile("cost-seed", null),
        flags.duration("warmup", Duration.ofSeconds(10)));
  }
}
