package dev.semlb.config;

import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared shape of every semlb {@code main}: parse flags (with {@code SEMLB_*} fallbacks) into a
 * config, reject unknown flags, start, install a shutdown hook that stops gracefully, and block
 * until stopped. A bad flag or config file prints one clear line and exits 2.
 */
public final class Launcher {

  private static final Logger log = LoggerFactory.getLogger(Launcher.class);

  /** A started service. */
  public interface Running {
    /** Blocks until the service has stopped. */
    void awaitTermination() throws InterruptedException;

    /** Stops gracefully. */
    void close();
  }

  /** Starts a service from its config. */
  @FunctionalInterface
  public interface Starter<C> {
    Running start(C config) throws Exception;
  }

  private Launcher() {}

  /** Runs {@code name} until it stops or the JVM is asked to exit. */
  public static <C> void run(
      String name, String[] args, Function<Flags, C> readConfig, Starter<C> starter)
      throws Exception {
    C config;
    try {
      Flags flags = Flags.parse(args, System.getenv());
      config = readConfig.apply(flags);
      flags.rejectUnknown();
    } catch (IllegalArgumentException e) {
      exit(name, e.getMessage());
      return;
    }
    Running running;
    try {
      running = starter.start(config);
    } catch (ConfigException e) {
      exit(name, e.getMessage());
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("{} shutting down", name);
                  running.close();
                },
                "shutdown"));
    running.awaitTermination();
  }

  private static void exit(String name, String message) {
    System.err.println(name + ": " + message);
    System.exit(2);
  }
}
