package dev.semlb.extproc.routing;

import dev.semlb.classifier.models.ModelSelection;
import dev.semlb.config.ConfigException;
import dev.semlb.config.PoolModels;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the model selection in use, read from the pools file's {@code pools[].model} and {@code
 * models} (the file xds-server serves the pools from), and replaces it when the file changes. As
 * with {@link PipelineHolder}, an invalid file is rejected and the last good selection keeps
 * serving. Thread-safe: one atomic reference.
 */
public final class ModelsHolder implements Supplier<ModelSelection> {

  private static final Logger log = LoggerFactory.getLogger(ModelsHolder.class);

  private final Path file;
  private final Clock clock;
  private final AtomicReference<ModelSelection> current;

  private ModelsHolder(Path file, Clock clock) throws ConfigException {
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.current = new AtomicReference<>(build());
  }

  /** Loads {@code poolsFile}; fails if its models are invalid. */
  public static ModelsHolder load(Path poolsFile, Clock clock) throws ConfigException {
    return new ModelsHolder(poolsFile, clock);
  }

  private ModelSelection build() throws ConfigException {
    return new ModelSelection(PoolModels.load(file), clock.instant().getEpochSecond());
  }

  @Override
  public ModelSelection get() {
    return current.get();
  }

  /** Re-reads the file; returns whether the new selection is now in use. */
  public boolean reload() {
    try {
      ModelSelection next = build();
      if (!next.models().equals(current.get().models())) {
        current.set(next);
        log.info("models reloaded from {}: {}", file, next.models().modelByPool());
      }
      return true;
    } catch (ConfigException | RuntimeException e) {
      log.error("models in {} rejected, keeping the last good ones: {}", file, e.getMessage());
      return false;
    }
  }

  /** The pools file. */
  public Path file() {
    return file;
  }
}
