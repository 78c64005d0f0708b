package dev.semlb.xds;

import dev.semlb.config.Launcher;
import dev.semlb.xds.pools.CheckPoolsCommand;
import java.util.Arrays;

/**
 * Entry point: {@code java -jar xds-server.jar [--port 18000] [--host 0.0.0.0] [--pools
 * config/pools.yaml] [--resolve-interval 10s] [--drain 1s] [--watch true] [--routing
 * config/routing.yaml]}. Each flag may instead come from its variable, e.g. {@code SEMLB_POOLS}.
 * With {@code --routing}, the routing file's pools are checked against the pools file at start-up
 * and any mismatch is logged as a warning.
 *
 * <p>{@code java -jar xds-server.jar check-pools --routing F --pools F} runs the {@link
 * CheckPoolsCommand} instead.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("check-pools")) {
      System.exit(
          CheckPoolsCommand.run(
              Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
    }
    Launcher.run("xds-server", args, XdsConfig::fromFlags, XdsServer::start);
  }
}
