package dev.semlb.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * The inputs the config loaders' property tests share: edits of a shipped file and of a small file
 * that uses every key (the small one more often, so edits hit keys rather than bulk), and random
 * text. Shared with the classifier and xds-server tests as this module's test jar.
 */
public final class ConfigArbitraries {

  private ConfigArbitraries() {}

  /** {@link YamlMutations} of {@code shipped} (1 in 4) and of {@code everyKey} (3 in 4). */
  public static Arbitrary<byte[]> edited(byte[] shipped, byte[] everyKey) {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.randomValue(random -> YamlMutations.mutate(shipped, random))),
        Tuple.of(3, Arbitraries.randomValue(random -> YamlMutations.mutate(everyKey, random))));
  }

  /** Random bytes, or random text made of YAML's syntax characters. */
  public static Arbitrary<byte[]> junk() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.strings()
            .withChars("abcdefgl:-[]{}&*!|>'\"#?, \n\t0123456789.")
            .ofMaxLength(200)
            .map(s -> s.getBytes(StandardCharsets.UTF_8)));
  }

  /** The repository's root: {@code semlb.repoRoot}, else the parent of a module's directory. */
  public static final Path REPO = Path.of(System.getProperty("semlb.repoRoot", ".."));

  /** A file of the repository, by path from its root. */
  public static byte[] repoFile(String path) {
    try {
      return Files.readAllBytes(REPO.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
