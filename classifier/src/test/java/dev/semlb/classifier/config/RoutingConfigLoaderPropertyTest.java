package dev.semlb.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.config.ConfigArbitraries;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever {@code routing.yaml} holds, the loader either returns a config that can serve or throws
 * a ConfigException naming the file ({@link RoutingConfigChecks}). Inputs are random edits of the
 * shipped config (most of them near-valid, so they reach deep validation), small hand-written
 * documents with random edits, and random text.
 */
class RoutingConfigLoaderPropertyTest {

  /**
   * The shipped config, its head model named by absolute path (the test loads a copy elsewhere).
   */
  private static final byte[] SHIPPED =
      new String(ConfigArbitraries.repoFile("config/routing.yaml"), StandardCharsets.UTF_8)
          .replace(
              "model: routing-head.json",
              "model: "
                  + java.nio.file.Path.of(System.getProperty("semlb.repoRoot", ".."))
                      .resolve("config/routing-head.json")
                      .toAbsolutePath())
          .getBytes(StandardCharsets.UTF_8);

  private static final byte[] SMALL =
      """
      defaultPool: general
      limits: { maxBodyBytes: 1024, maxTextChars: 100, maxJsonDepth: 8 }
      embedding: { enabled: true, threshold: 0.2, margin: 0.02, neighbors: 2, maxWords: 48 }
      cache: { enabled: true, maxEntries: 10, ttlSeconds: 60 }
      budgetMs: 100
      llm: { baseUrl: "http://127.0.0.1:1", model: m, timeoutMs: 100, minConfidence: 0.5, maxPromptChars: 200 }
      pools:
        - { name: general, description: "a, b; c - d", examples: [one, two] }
        - { name: fast-path, examples: GET api users id }
      rules:
        - name: r1
          pool: fast-path
          confidence: 0.9
          match:
            methods: [GET, head]
            contentTypes: application/json
            path: { glob: "/api/**/x?" }
            headers: [{ name: X-Probe, prefix: y, ignoreCase: true }, { name: x-a, present: true }]
            json: [{ field: "messages.*.role", regex: "^user$" }, { field: a.0, contains: b }]
            body: { keywords: [ping, "c++"], regex: "p.ng" }
        - { name: r2, pool: general, match: { path: { exact: /a }, headers: [{ name: h, exact: v }] } }
        - { name: r3, pool: general, match: { path: { prefix: /b } } }
        - { name: r4, pool: general, match: { path: { regex: "/c(/.*)?" } } }
      """
          .getBytes(StandardCharsets.UTF_8);

  @Property(tries = 400)
  void editedConfigs_loadValidOrAreRejectedNamingTheFile(@ForAll("editedConfigs") byte[] yaml) {
    RoutingConfigChecks.loadOrReject(yaml);
  }

  @Property(tries = 200)
  void randomText_isRejectedNamingTheFile(@ForAll("junk") byte[] yaml) {
    RoutingConfigChecks.loadOrReject(yaml);
  }

  @Property(tries = 5)
  void theSeedsThemselves_load(@ForAll("seeds") byte[] yaml) {
    assertThat(RoutingConfigChecks.loadOrReject(yaml)).isNotNull();
  }

  @Provide
  Arbitrary<byte[]> seeds() {
    return Arbitraries.of(SHIPPED, SMALL);
  }

  @Provide
  Arbitrary<byte[]> editedConfigs() {
    return ConfigArbitraries.edited(SHIPPED, SMALL);
  }

  @Provide
  Arbitrary<byte[]> junk() {
    return ConfigArbitraries.junk();
  }
}
