package dev.semlb.xds;

import dev.semlb.config.Launcher;

/**
 * Entry point: {@code java -jar xds-server.jar [--port 18000] [--host 0.0.0.0]
 * [--pools config/pools.yaml] [--resolve-interval 10s] [--drain 1s] [--watch true]}. Each
 * flag may instead come from its variable, e.g. {@code SEMLB_POOLS}.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    Launcher.run("xds-server", args, XdsConfig::fromFlags, XdsServer::start);
  }
}
