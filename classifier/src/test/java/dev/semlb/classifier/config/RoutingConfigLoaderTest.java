package dev.semlb.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.classifier.embedding.EmbeddingModel;
import dev.semlb.classifier.embedding.TextEmbedder;
import dev.semlb.classifier.rules.StringMatch;
import dev.semlb.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingConfigLoaderTest {

  private static final String POOLS =
      """
      defaultPool: general
      pools:
        - name: fast-path
        - name: general
      """;

  @Test
  void parse_readsPoolsRulesAndLimits() throws Exception {
    RoutingConfig config =
        RoutingConfigLoader.parse(
            "r.yaml",
            POOLS
                + """
        limits: { maxBodyBytes: 100, maxTextChars: 50 }
        rules:
          - name: probes
            pool: fast-path
            confidence: 0.9
            match:
              methods: get
              path: { glob: "/health*" }
              headers: [{ name: X-Probe, exact: YES, ignoreCase: true }]
              json: [{ field: a.b, present: true }]
              body: { keywords: [ping] }
        """);

    assertThat(config.defaultPool()).isEqualTo("general");
    assertThat(config.poolNames()).containsExactly("fast-path", "general");
    assertThat(config.limits().maxBodyBytes()).isEqualTo(100);
    assertThat(config.limits().maxTextChars()).isEqualTo(50);
    assertThat(config.rules()).hasSize(1);
    var rule = config.rules().get(0);
    assertThat(rule.confidence()).isEqualTo(0.9);
    assertThat(rule.match().methods()).containsExactly("GET");
    assertThat(rule.match().headers().get(0).name()).isEqualTo("x-probe");
    assertThat(rule.match().headers().get(0).match().kind()).isEqualTo(StringMatch.Kind.EXACT);
    assertThat(rule.match().json().get(0).match().kind()).isEqualTo(StringMatch.Kind.PRESENT);
  }

  @Test
  void unknownPoolInRule_namesTheRuleAndThePools() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    POOLS
                        + """
        rules:
          - name: r1
            pool: fastpath
            match: { methods: [GET] }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "routing.yaml: rules[0].pool: 'fastpath' (expected: one of [fast-path, general])");
  }

  @Test
  void badRegex_saysWhereAndWhy() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    POOLS
                        + """
        rules:
          - name: r1
            pool: general
            match: { path: { regex: "([" } }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "routing.yaml: rules[0].match.path.regex: '([' (expected: a valid regular expression:");
  }

  @Test
  void misspelledKey_isRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    POOLS
                        + """
        rules:
          - name: r1
            pool: general
            match: { method: [GET] }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules[0].match.method: unknown key");
  }

  @Test
  void defaultPoolMustBeAPool() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    """
        defaultPool: other
        pools: [{ name: general }]
        """))
        .hasMessage("routing.yaml: defaultPool: 'other' (expected: one of [general])");
  }

  @Test
  void invalidPoolName_isRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    """
        defaultPool: General
        pools: [{ name: General }]
        """))
        .hasMessageContaining("pools[0].name: 'General' (expected: lower-case letters");
  }

  @Test
  void duplicatePoolAndRuleNames_areRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    """
        defaultPool: a
        pools: [{ name: a }, { name: a }]
        """))
        .hasMessageContaining("pools[1].name: 'a' (expected: a pool name not used before)");
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    POOLS
                        + """
        rules:
          - { name: r, pool: general, match: { methods: GET } }
          - { name: r, pool: general, match: { methods: PUT } }
        """))
        .hasMessageContaining("rules[1].name: 'r' (expected: a rule name not used before)");
  }

  @Test
  void emptyMatch_andAmbiguousStringTest_areRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    POOLS
                        + """
        rules: [{ name: r, pool: general, match: {} }]
        """))
        .hasMessageContaining("rules[0].match: a mapping (expected: at least one condition");
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    POOLS
                        + """
        rules: [{ name: r, pool: general, match: { json: [{ field: a, exact: x, prefix: y }] } }]
        """))
        .hasMessageContaining(
            "rules[0].match.json[0]: a mapping (expected: exactly one of exact, prefix");
  }

  @Test
  void outOfRangeNumbers_areRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    POOLS
                        + """
        limits: { maxBodyBytes: -1 }
        """))
        .hasMessage("r.yaml: limits.maxBodyBytes: -1 (expected: an integer in [0, 16777216])");
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    POOLS
                        + """
        rules: [{ name: r, pool: general, confidence: 2, match: { methods: GET } }]
        """))
        .hasMessage("r.yaml: rules[0].confidence: 2 (expected: a number in [0, 1])");
  }

  @Test
  void invalidYaml_andEmptyDocument_areRejected() {
    assertThatThrownBy(() -> RoutingConfigLoader.parse("r.yaml", "pools: ["))
        .hasMessageStartingWith("r.yaml: not valid YAML");
    assertThatThrownBy(() -> RoutingConfigLoader.parse("r.yaml", ""))
        .hasMessage("r.yaml: empty document (expected: a mapping)");
  }

  @Test
  void modelSections_areReadAndValidated() throws Exception {
    RoutingConfig config =
        RoutingConfigLoader.parse(
            "r.yaml",
            """
        defaultPool: general
        pools:
          - name: general
            examples: [update one record, "POST api orders"]
          - name: fast-path
            examples: read one record
        embedding: { threshold: 0.4, margin: 0.05, neighbors: 3, maxWords: 20 }
        cache: { maxEntries: 500, ttlSeconds: 30 }
        budgetMs: 80
        llm: { baseUrl: "http://127.0.0.1:11434", model: llama3.2, timeoutMs: 900, minConfidence: 0.7 }
        """);

    assertThat(config.examples().get("general"))
        .containsExactly("update one record", "POST api orders");
    assertThat(config.examples().get("fast-path")).containsExactly("read one record");
    assertThat(config.embedding().threshold()).isEqualTo(0.4);
    assertThat(config.embedding().neighbors()).isEqualTo(3);
    assertThat(config.cache().maxEntries()).isEqualTo(500);
    assertThat(config.cache().ttl()).hasSeconds(30);
    assertThat(config.budget()).hasMillis(80);
    assertThat(config.llm().enabled()).isTrue();
    assertThat(config.llm().model()).isEqualTo("llama3.2");
    assertThat(config.llm().minConfidence()).isEqualTo(0.7);
  }

  @Test
  void llmIsOffWithoutABaseUrl_andBadModelSettingsAreRejected() throws Exception {
    assertThat(
            RoutingConfigLoader.parse("r.yaml", POOLS + "llm: { model: mistral }\n")
                .llm()
                .enabled())
        .isFalse();
    assertThatThrownBy(
            () -> RoutingConfigLoader.parse("r.yaml", POOLS + "llm: { baseUrl: \"ftp://x\" }\n"))
        .hasMessage("r.yaml: llm.baseUrl: 'ftp://x' (expected: an http(s) URL)");
    assertThatThrownBy(
            () -> RoutingConfigLoader.parse("r.yaml", POOLS + "embedding: { threshold: 1.5 }\n"))
        .hasMessage("r.yaml: embedding.threshold: 1.5 (expected: a number in [0, 1])");
    assertThatThrownBy(() -> RoutingConfigLoader.parse("r.yaml", POOLS + "cache: { ttl: 5 }\n"))
        .hasMessageContaining("cache.ttl: unknown key");
    assertThatThrownBy(() -> RoutingConfigLoader.parse("r.yaml", POOLS + "budgetMs: 0\n"))
        .hasMessage("r.yaml: budgetMs: 0 (expected: an integer in [1, 60000])");
  }

  @Test
  void embeddingModel_isNamed_andTheHeadMustBeTrainedOverIt(@TempDir java.nio.file.Path dir)
      throws Exception {
    assertThat(RoutingConfigLoader.parse("r.yaml", POOLS).embedding().model())
        .isEqualTo(EmbeddingModel.E5_SMALL_V2_Q);
    assertThat(
            RoutingConfigLoader.parse(
                    "r.yaml", POOLS + "embedding: { model: all-minilm-l6-v2-q }\n")
                .embedding()
                .model())
        .isEqualTo(EmbeddingModel.ALL_MINILM_L6_V2_Q);
    assertThatThrownBy(
            () -> RoutingConfigLoader.parse("r.yaml", POOLS + "embedding: { model: bge-small }\n"))
        .hasMessage(
            "r.yaml: embedding.model: 'bge-small' (expected: one of e5-small-v2-q,"
                + " all-minilm-l6-v2-q)");

    // The LLM example's head was trained over e5: a config that runs MiniLM refuses it.
    java.nio.file.Path root = java.nio.file.Path.of(System.getProperty("semlb.repoRoot", ".."));
    java.nio.file.Files.copy(
        root.resolve("config/examples/llm-models-head.json"), dir.resolve("head.json"));
    String pools =
        "defaultPool: chat\npools: [{ name: code }, { name: chat }, { name: fast }]\n"
            + "head: { model: head.json }\n";
    java.nio.file.Files.writeString(dir.resolve("e5.yaml"), pools);
    java.nio.file.Files.writeString(
        dir.resolve("minilm.yaml"), pools + "embedding: { model: all-minilm-l6-v2-q }\n");

    assertThat(RoutingConfigLoader.load(dir.resolve("e5.yaml")).head().enabled()).isTrue();
    assertThatThrownBy(() -> RoutingConfigLoader.load(dir.resolve("minilm.yaml")))
        .hasMessageContaining(
            "head.model: 'head.json' (expected: a model trained over embedding.model"
                + " all-minilm-l6-v2-q (it was trained over 'e5-small-v2-q'; retrain it");
  }

  @Test
  void aPipelineRefusesAConfigForAnotherModelThanItsProcessRuns() throws Exception {
    RoutingConfig minilm =
        RoutingConfigLoader.parse("r.yaml", POOLS + "embedding: { model: all-minilm-l6-v2-q }\n");
    TextEmbedder e5 =
        new TextEmbedder() {
          @Override
          public float[] embed(String text) {
            return new float[] {1, 0};
          }

          @Override
          public EmbeddingModel model() {
            return EmbeddingModel.E5_SMALL_V2_Q;
          }
        };
    ClassifierResources resources = new ClassifierResources(e5, Runnable::run, Runnable::run);

    assertThatThrownBy(() -> dev.semlb.classifier.Pipeline.build(minilm, resources))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "embedding.model: 'all-minilm-l6-v2-q' (expected: e5-small-v2-q, the model this"
                + " process loaded at start; restart it to run another)");
  }

  @Test
  void shippedConfigs_areValid() throws Exception {
    java.nio.file.Path root = java.nio.file.Path.of(System.getProperty("semlb.repoRoot", ".."));

    assertThat(RoutingConfigLoader.load(root.resolve("config/routing.yaml")).examples().values())
        .allSatisfy(examples -> assertThat(examples).hasSizeGreaterThanOrEqualTo(20));
    assertThat(
            RoutingConfigLoader.load(root.resolve("config/examples/llm-models.yaml")).poolNames())
        .containsExactly("code", "chat", "fast");
  }

  @Test
  void descriptionPhrases_countAsExamples_unlessTurnedOff() throws Exception {
    String yaml =
        """
        defaultPool: general
        pools:
          - name: general
            description: Ordinary work - create one record, update settings; sign in.
            examples: [post a comment]
        """;

    RoutingConfig on = RoutingConfigLoader.parse("r.yaml", yaml);
    RoutingConfig off =
        RoutingConfigLoader.parse("r.yaml", yaml + "embedding: { useDescriptions: false }\n");

    assertThat(on.pools().get(0).descriptionPhrases())
        .containsExactly("Ordinary work", "create one record", "update settings", "sign in");
    assertThat(on.examples().get("general"))
        .containsExactly(
            "post a comment", "Ordinary work", "create one record", "update settings", "sign in");
    assertThat(off.examples().get("general")).containsExactly("post a comment");
  }

  @Test
  void regression_maxBodyBytesOf2To64_loadedAsZero() {
    // The integer wrapped around to 0, which silently turned body reading off.
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    POOLS
                        + """
        limits: { maxBodyBytes: 18446744073709551616 }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "routing.yaml: limits.maxBodyBytes: 18446744073709551616 (expected: an integer in [0, 16777216])");
  }

  @Test
  void regression_aliasLoadedAsTheAnchorName() {
    // `examples: *common` loaded as the single example "common".
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    """
        defaultPool: general
        pools:
          - name: general
            examples: &common [create one record]
          - name: fast-path
            examples: *common
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "routing.yaml: not valid YAML (alias *common at line 6 is not supported (write the value out))");
  }

  @Test
  void maxJsonDepthAboveTheLargest_isRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    POOLS
                        + """
        limits: { maxJsonDepth: 1001 }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage("routing.yaml: limits.maxJsonDepth: 1001 (expected: an integer in [1, 1000])");
  }
}
