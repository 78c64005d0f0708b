package dev.semlb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The contract every config loader keeps, checked on any bytes by the property and fuzz tests: a
 * file either loads, or fails with a {@link ConfigException} whose message starts with the file
 * name and that does not hide a crash inside the parser. Any other exception or error propagates
 * and fails the caller. Shared with the classifier and xds-server tests as this module's test jar.
 *
 * @param <T> the loaded config
 */
public final class LoaderContract<T> {

  /** Loads a config file, as the loaders do. */
  @FunctionalInterface
  public interface Loader<T> {
    T load(Path file) throws ConfigException;
  }

  private final String fileName;
  private final Loader<T> loader;
  private final Path file;

  /** A contract for files named {@code fileName} (in a fresh temporary directory). */
  public LoaderContract(String fileName, Loader<T> loader) {
    this.fileName = fileName;
    this.loader = loader;
    try {
      Path dir = Files.createTempDirectory("semlb-loader-contract");
      dir.toFile().deleteOnExit();
      this.file = dir.resolve(fileName);
      file.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code bytes} to the file and loads it; null when the loader rejected it properly. */
  public T loadOrReject(byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return loader.load(file);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).as("the error message").startsWith(fileName + ": ");
      // The loaders turn a crash inside the YAML parser into a ConfigException too; here it
      // is still a bug to report.
      assertThat(e.getCause() instanceof RuntimeException)
          .as("a parser crash behind: %s", e.getMessage())
          .isFalse();
      return null;
    }
  }
}
