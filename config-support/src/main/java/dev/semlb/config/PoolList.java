package dev.semlb.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The pools one config file declares and its default pool: what {@link PoolListCheck} compares
 * between {@code routing.yaml} (the pools the classifier routes to) and {@code pools.yaml} (the
 * pools xds-server serves). Immutable.
 *
 * @param file the file, for messages
 * @param poolNames the declared pools, in file order
 * @param defaultPool the file's default pool, one of {@code poolNames}
 * @param fallbackTargets pools that other pools fail over to (they get traffic even when no request
 *     is routed to them); empty for {@code routing.yaml}
 */
public record PoolList(
    String file, List<String> poolNames, String defaultPool, Set<String> fallbackTargets) {

  /** Copies the lists and checks that the default is declared. */
  public PoolList {
    Objects.requireNonNull(file, "file");
    poolNames = List.copyOf(poolNames);
    fallbackTargets = Set.copyOf(fallbackTargets);
    if (!poolNames.contains(defaultPool)) {
      throw new IllegalArgumentException(
          "defaultPool: '" + defaultPool + "' (expected: one of " + poolNames + ")");
    }
  }

  /**
   * Reads the {@code pools[].name} and {@code defaultPool} of a {@code routing.yaml} (the other
   * keys are left to the classifier's loader, which validates the whole file).
   *
   * @throws ConfigException if the file cannot be read or those keys are missing or malformed
   */
  public static PoolList readRouting(Path file) throws ConfigException {
    ConfigNode root = ConfigNode.load(file).requireObject();
    List<String> names = new ArrayList<>();
    for (ConfigNode pool : root.list("pools")) {
      names.add(pool.requireObject().text("name"));
    }
    if (names.isEmpty()) {
      throw root.get("pools").invalid("at least one pool");
    }
    String defaultPool = root.text("defaultPool");
    if (!names.contains(defaultPool)) {
      throw root.get("defaultPool").invalid("one of the pools " + names);
    }
    return new PoolList(file.toString(), names, defaultPool, Set.of());
  }
}
