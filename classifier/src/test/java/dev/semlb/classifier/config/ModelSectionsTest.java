package dev.semlb.classifier.config;

import static dev.semlb.classifier.config.RoutingYaml.POOLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.classifier.embedding.EmbeddingModel;
import dev.semlb.classifier.embedding.TextEmbedder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding, cache, budget, LLM and head sections: read, validated, tied to the model. */
class ModelSectionsTest {

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
}
