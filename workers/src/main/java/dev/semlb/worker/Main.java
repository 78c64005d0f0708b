package dev.semlb.worker;

import dev.semlb.config.Flags;

/**
 * Entry point: {@code java -jar worker.jar --pool general --port 9001 [--latency 50ms]
 * [--jitter 10ms] [--cpu-burn 0ms] [--max-concurrency 0] [--id ID] [--host 0.0.0.0]}.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    WorkerConfig config;
    try {
      Flags flags = Flags.parse(args, System.getenv());
      config = WorkerConfig.fromFlags(flags);
      flags.rejectUnknown();
    } catch (IllegalArgumentException e) {
      System.err.println("worker: " + e.getMessage());
      System.exit(2);
      return;
    }
    WorkerServer server = WorkerServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    Thread.currentThread().join();
  }
}
