package dev.semlb.worker;

import dev.semlb.config.Launcher;

/**
 * Entry point: {@code java -jar worker.jar --pool general --port 9001 [--latency 50ms] [--jitter
 * 10ms] [--cpu-burn 0ms] [--max-concurrency 0] [--id ID] [--host 0.0.0.0] [--register
 * http://xds-admin:9091 [--advertise host:port] [--version green] [--weight 1] [--register-ttl
 * 15s]] [--llm-model NAME [--llm-tokens-per-second 50] [--llm-ttft 200ms] [--llm-reply-tokens 32]]
 * [--grpc]}. With {@code --llm-model} the worker is a demo OpenAI-compatible model server; with
 * {@code --grpc} a gRPC server that answers any method ({@link GrpcWorker}).
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    Launcher.run(
        "worker",
        args,
        WorkerConfig::fromFlags,
        config -> config.grpc() ? GrpcWorker.start(config) : WorkerServer.start(config));
  }
}
