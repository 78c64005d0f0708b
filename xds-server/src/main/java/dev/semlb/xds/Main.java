package dev.semlb.xds;

import dev.semlb.config.ConfigException;
import dev.semlb.config.Flags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: {@code java -jar xds-server.jar [--port 18000] [--host 0.0.0.0]
 * [--pools config/pools.yaml] [--resolve-interval 10s] [--drain 1s] [--watch true]}. Each
 * flag may instead come from its variable, e.g. {@code SEMLB_POOLS}.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    XdsConfig config;
    try {
      Flags flags = Flags.parse(args, System.getenv());
      config = XdsConfig.fromFlags(flags);
      flags.rejectUnknown();
    } catch (IllegalArgumentException e) {
      System.err.println("xds-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    XdsServer server;
    try {
      server = XdsServer.start(config);
    } catch (ConfigException e) {
      System.err.println("xds-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      server.close();
    }, "shutdown"));
    server.awaitTermination();
  }
}
