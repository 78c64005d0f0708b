package dev.semlb.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code k8s/istio/verify} harness as a child process: Istio's discovery server over the
 * rendered kustomizations, serving ADS on a free loopback port. Its binary is {@code
 * $ISTIO_VERIFY_BIN}, or what {@code scripts/install-istio-verify.sh} builds (into {@code .tools/},
 * once per source and Istio version). The log goes to {@code istio-verify.log} in the work dir.
 */
final class IstioVerifyProcess implements AutoCloseable {

  private final Process process;
  private final int port;

  private IstioVerifyProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the harness and waits (60 s at most) until it serves ADS. */
  static IstioVerifyProcess start(Path root, List<Path> kustomizations, Path objects, Path workDir)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(binary(root).toString(), "-xds", "127.0.0.1:0"));
    for (Path k : kustomizations) {
      command.addAll(List.of("-kustomize", k.toString()));
    }
    command.addAll(List.of("-objects", objects.toString()));
    Path log = workDir.resolve("istio-verify.log");
    Process process =
        new ProcessBuilder(command).redirectError(log.toFile()).directory(root.toFile()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  if (line.startsWith("istio-verify: serving ADS on ")) {
                    return line;
                  }
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    String line;
    try {
      line = ready.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      line = null;
    }
    if (line == null) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("istio-verify did not serve ADS: " + EnvoyProcess.tail(log));
    }
    int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).strip());
    return new IstioVerifyProcess(process, port);
  }

  /** The port ADS is served on (127.0.0.1). */
  int port() {
    return port;
  }

  private static Path binary(Path root) throws IOException, InterruptedException {
    String env = System.getenv("ISTIO_VERIFY_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Process p =
        new ProcessBuilder("bash", root.resolve("scripts/install-istio-verify.sh").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException(
          "no istio-verify binary: scripts/install-istio-verify.sh exited " + p.exitValue());
    }
    return Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
  }

  /** Closes the harness's stdin (it exits on end of file) and waits for it. */
  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
