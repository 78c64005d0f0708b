package dev.semlb.extproc;

import dev.semlb.config.ConfigException;
import dev.semlb.config.Flags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: {@code java -jar ext-proc-service.jar [--port 50051] [--host 0.0.0.0]
 * [--routing config/routing.yaml] [--threads N] [--drain 2s] [--watch true]}. Each flag
 * may instead come from its variable, e.g. {@code SEMLB_PORT}.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    ServiceConfig config;
    try {
      Flags flags = Flags.parse(args, System.getenv());
      config = ServiceConfig.fromFlags(flags);
      flags.rejectUnknown();
    } catch (IllegalArgumentException e) {
      System.err.println("ext-proc-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    ExtProcServer server;
    try {
      server = ExtProcServer.start(config);
    } catch (ConfigException e) {
      System.err.println("ext-proc-service: " + e.getMessage());
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
