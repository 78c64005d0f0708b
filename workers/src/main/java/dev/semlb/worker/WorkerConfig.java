package dev.semlb.worker;

import dev.semlb.config.Flags;
import dev.semlb.config.PoolName;
import dev.semlb.worker.llm.LlmProfile;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How one worker runs. Immutable; validated on construction.
 *
 * @param pool the pool this worker serves (reported in every response)
 * @param host bind address. The default is {@code 0.0.0.0}
 * @param port HTTP port; 0 picks a free one
 * @param id worker id reported in responses. The default is {@code <pool>-<port>}
 * @param profile the simulated work per request
 * @param registration how to register with the xds-server, or null to rely on {@code pools.yaml}
 * @param llm when set, the worker is a demo OpenAI-compatible model server ({@link
 *     dev.semlb.worker.llm.OpenAiApi}) instead of echoing requests; null (the default) for the echo
 * @param grpc whether the worker is a gRPC server ({@link GrpcWorker}, HTTP/2 cleartext) instead of
 *     the HTTP echo. The default is false
 */
public record WorkerConfig(
    String pool,
    String host,
    int port,
    String id,
    WorkProfile profile,
    Registration registration,
    LlmProfile llm,
    boolean grpc) {

  /** An HTTP worker. */
  public WorkerConfig(
      String pool,
      String host,
      int port,
      String id,
      WorkProfile profile,
      Registration registration,
      LlmProfile llm) {
    this(pool, host, port, id, profile, registration, llm, false);
  }

  /** A worker that does not register itself. */
  public WorkerConfig(String pool, String host, int port, String id, WorkProfile profile) {
    this(pool, host, port, id, profile, null, null);
  }

  /** An echo worker (not a model server). */
  public WorkerConfig(
      String pool,
      String host,
      int port,
      String id,
      WorkProfile profile,
      Registration registration) {
    this(pool, host, port, id, profile, registration, null);
  }

  /** Validates the fields. */
  public WorkerConfig {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(profile, "profile");
    PoolName.check("pool", pool);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    if (grpc && (llm != null || registration != null || !profile.equals(WorkProfile.NONE))) {
      throw new IllegalArgumentException(
          "grpc: true (expected: without --llm-model, --register and work-profile flags; the"
              + " gRPC worker answers at once and is listed in pools.yaml)");
    }
  }

  /**
   * Reads {@code --pool NAME --port N [--host H] [--id ID] [--latency 5ms] [--jitter 0ms]
   * [--cpu-burn 0ms] [--max-concurrency 0] [--cost-header x-work-ms] [--register URL [--advertise
   * host:port] [--version LABEL] [--weight 1] [--register-ttl 15s]] [--llm-model NAME
   * [--llm-tokens-per-second 50] [--llm-ttft 200ms] [--llm-reply-tokens 32]]} (or SEMLB_*
   * variables; the admin token is read from SEMLB_ADMIN_TOKEN). Without {@code --llm-model} the
   * worker echoes requests, as it always has; the other {@code --llm-*} flags need it. {@code
   * --grpc} makes it a gRPC server instead ({@link GrpcWorker}).
   */
  public static WorkerConfig fromFlags(Flags flags) {
    String pool = flags.string("pool", null);
    if (pool == null) {
      throw new IllegalArgumentException("--pool: missing (expected: the pool this worker serves)");
    }
    int port = flags.integer("port", 9001, 0, 65535);
    WorkProfile profile =
        new WorkProfile(
            flags.duration("latency", Duration.ZERO),
            flags.duration("jitter", Duration.ZERO),
            flags.duration("cpu-burn", Duration.ZERO),
            flags.integer("max-concurrency", 0, 0, 100_000),
            flags.string("cost-header", null));
    String register = flags.string("register", null);
    Registration registration =
        register == null
            ? null
            : new Registration(
                URI.create(register),
                flags.string("advertise", ""),
                flags.string("version", ""),
                flags.integer("weight", 1, 1, 128),
                flags.duration("register-ttl", Duration.ofSeconds(15)),
                flags.string("admin-token", ""));
    return new WorkerConfig(
        pool,
        flags.string("host", "0.0.0.0"),
        port,
        flags.string("id", pool + "-" + port),
        profile,
        registration,
        llmProfile(flags),
        flags.bool("grpc", false));
  }

  /** The {@code --llm-*} flags, or null without {@code --llm-model}. */
  private static LlmProfile llmProfile(Flags flags) {
    String model = flags.string("llm-model", null);
    if (model == null) {
      return null; // any other --llm-* flag is then left unread, so rejected as unknown
    }
    String rate = flags.string("llm-tokens-per-second", "50");
    double tokensPerSecond;
    try {
      tokensPerSecond = Double.parseDouble(rate.trim());
    } catch (NumberFormatException e) {
      tokensPerSecond = Double.NaN;
    }
    if (!(tokensPerSecond >= 0) || Double.isInfinite(tokensPerSecond)) {
      throw new IllegalArgumentException(
          "--llm-tokens-per-second: '" + rate + "' (expected: a number >= 0; 0 for no pacing)");
    }
    return new LlmProfile(
        model,
        tokensPerSecond,
        flags.duration("llm-ttft", Duration.ofMillis(200)),
        flags.integer(
            "llm-reply-tokens", LlmProfile.DEFAULT_REPLY_TOKENS, 1, LlmProfile.MAX_REPLY_TOKENS));
  }
}
