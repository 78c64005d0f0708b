package dev.semlb.classifier.config;

import static dev.semlb.classifier.config.RoutingYaml.POOLS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.rules.StringMatch;
import org.junit.jupiter.api.Test;

/** Valid configs load: pools, rules, limits, description phrases, and the shipped files. */
class ValidRoutingConfigTest {

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
}
