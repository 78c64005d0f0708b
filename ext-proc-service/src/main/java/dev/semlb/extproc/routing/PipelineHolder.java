package dev.semlb.extproc.routing;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.config.ConfigException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the routing table in use and replaces it when the config file changes.
 *
 * <p>A reload parses, validates and builds a whole new table (example vectors included, so it is
 * warm) before swapping it in with one atomic write, so a request sees either the old table or the
 * new one, never a mix. An invalid file is rejected with its error logged and the last good table
 * keeps serving. Thread-safe.
 */
public final class PipelineHolder implements Supplier<Pipeline> {

  private static final Logger log = LoggerFactory.getLogger(PipelineHolder.class);

  private final Path file;
  private final ClassifierResources resources;
  private final UnaryOperator<RoutingConfig> adjust;
  private final AtomicReference<Pipeline> current;
  private final AtomicLong version = new AtomicLong(1);
  private final AtomicLong reloadsSucceeded = new AtomicLong();
  private final AtomicLong reloadsFailed = new AtomicLong();

  private PipelineHolder(
      Path file, ClassifierResources resources, UnaryOperator<RoutingConfig> adjust)
      throws ConfigException {
    this.file = Objects.requireNonNull(file, "file");
    this.resources = Objects.requireNonNull(resources, "resources");
    this.adjust = Objects.requireNonNull(adjust, "adjust");
    this.current = new AtomicReference<>(build());
  }

  /** Loads {@code file} with rules only; fails if it is invalid. */
  public static PipelineHolder load(Path file) throws ConfigException {
    return load(file, ClassifierResources.NONE, UnaryOperator.identity());
  }

  /**
   * Loads {@code file}; fails if it is invalid, since there is no table to fall back to.
   *
   * @param resources the models and executors every table shares
   * @param adjust applied to each loaded config (e.g. LLM settings from the environment)
   */
  public static PipelineHolder load(
      Path file, ClassifierResources resources, UnaryOperator<RoutingConfig> adjust)
      throws ConfigException {
    return new PipelineHolder(file, resources, adjust);
  }

  private Pipeline build() throws ConfigException {
    return Pipeline.build(adjust.apply(RoutingConfigLoader.load(file)), resources);
  }

  @Override
  public Pipeline get() {
    return current.get();
  }

  /** How many tables have been in use, counting the first; increases on each good reload. */
  public long version() {
    return version.get();
  }

  /** Re-reads the file; returns whether the new table is now in use. */
  public boolean reload() {
    try {
      Pipeline table = build();
      current.set(table);
      long v = version.incrementAndGet();
      reloadsSucceeded.incrementAndGet();
      log.info(
          "routing config {} reloaded: version {}, {} pools, {} rules",
          file,
          v,
          table.config().pools().size(),
          table.config().rules().size());
      return true;
    } catch (ConfigException | RuntimeException e) {
      reloadsFailed.incrementAndGet();
      log.error(
          "routing config {} rejected, keeping version {}: {}",
          file,
          version.get(),
          e.getMessage());
      return false;
    }
  }

  /** Reloads that put a new table in use. */
  public long reloadsSucceeded() {
    return reloadsSucceeded.get();
  }

  /** Reloads rejected because the file was invalid. */
  public long reloadsFailed() {
    return reloadsFailed.get();
  }

  /** The file this holder loads. */
  public Path file() {
    return file;
  }
}
