package dev.semlb.extproc.routing;

import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.config.RoutingTable;
import dev.semlb.config.ConfigException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the routing table in use and replaces it when the config file changes.
 *
 * <p>A reload parses, validates and builds a whole new table before swapping it in with one
 * atomic write, so a request sees either the old table or the new one, never a mix. An
 * invalid file is rejected with its error logged and the last good table keeps serving.
 * Thread-safe.
 */
public final class RoutingTableHolder implements Supplier<RoutingTable> {

  private static final Logger log = LoggerFactory.getLogger(RoutingTableHolder.class);

  private final Path file;
  private final AtomicReference<RoutingTable> current;
  private final AtomicLong version = new AtomicLong(1);

  private RoutingTableHolder(Path file, RoutingTable initial) {
    this.file = file;
    this.current = new AtomicReference<>(initial);
  }

  /** Loads {@code file}; fails if it is invalid, since there is no table to fall back to. */
  public static RoutingTableHolder load(Path file) throws ConfigException {
    Objects.requireNonNull(file, "file");
    return new RoutingTableHolder(file, RoutingTable.build(RoutingConfigLoader.load(file)));
  }

  @Override
  public RoutingTable get() {
    return current.get();
  }

  /** How many tables have been in use, counting the first; increases on each good reload. */
  public long version() {
    return version.get();
  }

  /** Re-reads the file; returns whether the new table is now in use. */
  public boolean reload() {
    try {
      RoutingTable table = RoutingTable.build(RoutingConfigLoader.load(file));
      current.set(table);
      long v = version.incrementAndGet();
      log.info("routing config {} reloaded: version {}, {} pools, {} rules", file, v,
          table.config().pools().size(), table.config().rules().size());
      return true;
    } catch (ConfigException | RuntimeException e) {
      log.error("routing config {} rejected, keeping version {}: {}", file, version.get(), e.getMessage());
      return false;
    }
  }

  /** The file this holder loads. */
  public Path file() {
    return file;
  }
}
