package dev.semlb.classifier.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.view.BodyExtractor;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.classifier.view.ViewLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RulesStageTest {

  private static final BodyExtractor EXTRACTOR = new BodyExtractor(ViewLimits.DEFAULTS);

  private static RulesStage stage(String rulesYaml) throws Exception {
    return new RulesStage(
        RoutingConfigLoader.parse(
                "t.yaml",
                """
        defaultPool: general
        pools: [{ name: fast-path }, { name: high-compute }, { name: general }]
        rules:
        """
                    + rulesYaml)
            .rules());
  }

  private static RequestView request(
      String method, String path, Map<String, String> headers, String json) {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    return RequestView.of(
        method,
        path,
        headers,
        EXTRACTOR.extract(body, body.length, json == null ? null : "application/json", null));
  }

  private static Optional<Decision> decide(RulesStage stage, RequestView request) {
    return Optional.ofNullable(
        stage.decide(request, Deadline.in(Duration.ofSeconds(1))).decision());
  }

  @Test
  void firstMatchingRuleWins_andNamesItself() throws Exception {
    RulesStage stage =
        stage(
            """
          - { name: any-get, pool: fast-path, confidence: 0.8, match: { methods: [GET] } }
          - { name: reports, pool: high-compute, match: { path: { glob: "/reports/**" } } }
        """);

    Optional<Decision> decision = decide(stage, request("GET", "/reports/2026/q1", Map.of(), null));

    assertThat(decision).contains(new Decision("fast-path", 0.8, Stage.RULES, "rule 'any-get'"));
  }

  @Test
  void noMatch_passes() throws Exception {
    RulesStage stage = stage("  - { name: r, pool: fast-path, match: { methods: [GET] } }\n");

    assertThat(decide(stage, request("POST", "/x", Map.of(), "{}"))).isEmpty();
  }

  @Test
  void glob_singleStarStaysInOneSegment_doubleStarCrosses() throws Exception {
    RulesStage stage =
        stage("  - { name: r, pool: fast-path, match: { path: { glob: \"/api/*/items\" } } }\n");

    assertThat(decide(stage, request("GET", "/api/v1/items", Map.of(), null))).isPresent();
    assertThat(decide(stage, request("GET", "/api/v1/x/items", Map.of(), null))).isEmpty();
    assertThat(PathMatch.glob("/api/**").matches("/api/v1/x/items")).isTrue();
    assertThat(PathMatch.glob("/a?c").matches("/abc")).isTrue();
    assertThat(PathMatch.glob("/a.c").matches("/abc")).isFalse();
  }

  @Test
  void pathRegex_mustMatchTheWholePath() throws Exception {
    RulesStage stage =
        stage("  - { name: r, pool: fast-path, match: { path: { regex: \"/health\" } } }\n");

    assertThat(decide(stage, request("GET", "/health", Map.of(), null))).isPresent();
    assertThat(decide(stage, request("GET", "/healthcheck", Map.of(), null))).isEmpty();
  }

  @Test
  void headerTests_areCaseInsensitiveOnName() throws Exception {
    RulesStage stage =
        stage(
            """
          - name: r
            pool: high-compute
            match: { headers: [{ name: X-Job-Class, prefix: batch }] }
        """);

    assertThat(decide(stage, request("POST", "/", Map.of("x-job-class", "batch-nightly"), "{}")))
        .isPresent();
    assertThat(decide(stage, request("POST", "/", Map.of("x-job-class", "interactive"), "{}")))
        .isEmpty();
    assertThat(decide(stage, request("POST", "/", Map.of(), "{}"))).isEmpty();
  }

  @Test
  void jsonField_pathsIndexesAndWildcards() throws Exception {
    RulesStage stage =
        stage(
            """
          - name: r
            pool: high-compute
            match: { json: [{ field: "steps.*.op", exact: aggregate }] }
        """);

    assertThat(
            decide(
                stage,
                request(
                    "POST",
                    "/",
                    Map.of(),
                    "{\"steps\":[{\"op\":\"ingest\"},{\"op\":\"aggregate\"}]}")))
        .isPresent();
    assertThat(decide(stage, request("POST", "/", Map.of(), "{\"steps\":[{\"op\":\"ingest\"}]}")))
        .isEmpty();
    assertThat(
            new JsonFieldMatch("steps.1.op", StringMatch.exact("aggregate", false))
                .matches(
                    request(
                            "POST",
                            "/",
                            Map.of(),
                            "{\"steps\":[{\"op\":\"a\"},{\"op\":\"aggregate\"}]}")
                        .body()
                        .json()))
        .isTrue();
  }

  @Test
  void jsonFieldPresent_ignoresNull() throws Exception {
    RulesStage stage =
        stage(
            "  - { name: r, pool: high-compute, match: { json: [{ field: batch, present: true }] } }\n");

    assertThat(decide(stage, request("POST", "/", Map.of(), "{\"batch\":[]}"))).isPresent();
    assertThat(decide(stage, request("POST", "/", Map.of(), "{\"batch\":null}"))).isEmpty();
  }

  @Test
  void bodyKeywords_matchWholeWordsOnly() throws Exception {
    RulesStage stage =
        stage("  - { name: r, pool: high-compute, match: { body: { keywords: [join] } } }\n");

    assertThat(decide(stage, request("POST", "/", Map.of(), "{\"q\":\"a JOIN b\"}"))).isPresent();
    assertThat(decide(stage, request("POST", "/", Map.of(), "{\"q\":\"user joined\"}"))).isEmpty();
  }

  @Test
  void allConditionsMustHold() throws Exception {
    RulesStage stage =
        stage(
            """
          - name: r
            pool: fast-path
            match: { methods: [POST], contentTypes: [application/json], json: [{ field: a, exact: "1" }] }
        """);

    assertThat(
            decide(
                stage,
                request("POST", "/", Map.of("content-type", "application/json"), "{\"a\":1}")))
        .isPresent();
    assertThat(
            decide(
                stage,
                request("PUT", "/", Map.of("content-type", "application/json"), "{\"a\":1}")))
        .isEmpty();
    assertThat(
            decide(stage, request("POST", "/", Map.of("content-type", "text/plain"), "{\"a\":1}")))
        .isEmpty();
  }
}
