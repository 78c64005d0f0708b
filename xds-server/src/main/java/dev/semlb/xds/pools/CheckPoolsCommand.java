package dev.semlb.xds.pools;

import dev.semlb.config.ConfigException;
import dev.semlb.config.Flags;
import dev.semlb.config.PoolList;
import dev.semlb.config.PoolListCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar xds-server.jar check-pools --routing config/routing.yaml --pools
 * config/pools.yaml}: compares the pools the classifier routes to with the pools xds-server serves
 * ({@link PoolListCheck}). Exit code 0 when they agree, 1 on a mismatch (each printed), 2 when an
 * input is missing or invalid. Run by {@code scripts/validate-deploy.sh}.
 */
public final class CheckPoolsCommand {

  private CheckPoolsCommand() {}

  /** Runs the command; returns the process exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Path routingFile;
    Path poolsFile;
    PoolList routing;
    PoolList pools;
    try {
      Flags flags = Flags.parse(args, env);
      routingFile = flags.existingFile("routing", "config/routing.yaml");
      poolsFile = flags.existingFile("pools", "config/pools.yaml");
      flags.rejectUnknown();
      routing = PoolList.readRouting(routingFile);
      pools = PoolsConfigLoader.load(poolsFile).poolList(poolsFile.toString());
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("check-pools: " + e.getMessage());
      return 2;
    }
    List<String> problems = PoolListCheck.compare(routing, pools);
    if (problems.isEmpty()) {
      out.println(
          "check-pools: "
              + routingFile
              + " and "
              + poolsFile
              + " agree: pools "
              + routing.poolNames()
              + ", default '"
              + routing.defaultPool()
              + "'");
      return 0;
    }
    err.println("check-pools: " + routingFile + " and " + poolsFile + " disagree:");
    problems.forEach(p -> err.println("  " + p));
    return 1;
  }
}
