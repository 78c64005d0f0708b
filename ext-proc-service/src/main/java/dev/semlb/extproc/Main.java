package dev.semlb.extproc;

import dev.semlb.config.Launcher;

/**
 * Entry point: {@code java -jar ext-proc-service.jar [--port 50051] [--host 0.0.0.0]
 * [--routing config/routing.yaml] [--threads N] [--drain 2s] [--watch true]}. Each flag
 * may instead come from its variable, e.g. {@code SEMLB_PORT}.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    Launcher.run("ext-proc-service", args, ServiceConfig::fromFlags, ExtProcServer::start);
  }
}
