package dev.semlb.worker;

import dev.semlb.config.Launcher;

/**
 * Entry point: {@code java -jar worker.jar --pool general --port 9001 [--latency 50ms] [--jitter
 * 10ms] [--cpu-burn 0ms] [--max-concurrency 0] [--id ID] [--host 0.0.0.0] [--register
 * http://xds-admin:9091 [--advertise host:port] [--version green] [--weight 1] [--register-ttl
 * 15s]]}.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    Launcher.run("worker", args, WorkerConfig::fromFlags, WorkerServer::start);
  }
}
