package dev.semlb.e2e.support;

import dev.semlb.worker.WorkerServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** The routing.yaml and pools.yaml a {@link SemlbStack} runs on, each rewritten atomically. */
final class StackFiles {

  private final Path workDir;
  private final Path poolsFile;
  private final Path routingFile;

  StackFiles(Path workDir) {
    this.workDir = workDir;
    this.poolsFile = workDir.resolve("pools.yaml");
    this.routingFile = workDir.resolve("routing.yaml");
  }

  /** pools.yaml, which xds-server reads. */
  Path poolsFile() {
    return poolsFile;
  }

  /** routing.yaml, which ext-proc-service (and, with native routes, xds-server) reads. */
  Path routingFile() {
    return routingFile;
  }

  /** Copies the shipped {@code config/routing.yaml} and the decision head it names here. */
  void copyShippedRouting() throws IOException {
    Path config = EnvoyProcess.repoRoot().resolve("config");
    Files.copy(config.resolve("routing.yaml"), routingFile, StandardCopyOption.REPLACE_EXISTING);
    // The decision head the routing config names, beside it as in config/.
    Files.copy(
        config.resolve("routing-head.json"),
        workDir.resolve("routing-head.json"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Replaces routing.yaml (as an operator's editor would). */
  void overwriteRouting(String yaml) throws IOException {
    writeAtomically(routingFile, yaml);
  }

  /** Switches the measured stage on in routing.yaml (the shipped file has it off). */
  void enableMeasured() throws IOException {
    String yaml = Files.readString(routingFile);
    String on = yaml.replace("measured:\n  enabled: false", "measured:\n  enabled: true");
    if (!on.contains("measured:\n  enabled: true")) {
      throw new IllegalStateException("no `measured: enabled:` in " + routingFile);
    }
    overwriteRouting(on);
  }

  /** Rewrites pools.yaml to list {@code workers}' ports, pool by pool in map order. */
  void writePools(Map<String, List<WorkerServer>> workers) throws IOException {
    StringBuilder yaml = new StringBuilder("pools:\n");
    workers.forEach(
        (pool, list) -> {
          yaml.append("  - name: ").append(pool).append("\n    endpoints:\n");
          list.forEach(w -> yaml.append("      - 127.0.0.1:").append(w.port()).append('\n'));
        });
    writeAtomically(poolsFile, yaml.toString());
  }

  /** Replaces pools.yaml with {@code yaml} (as an operator's editor would). */
  void overwritePools(String yaml) throws IOException {
    writeAtomically(poolsFile, yaml);
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
