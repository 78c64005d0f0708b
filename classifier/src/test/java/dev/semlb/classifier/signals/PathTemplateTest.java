package dev.semlb.classifier.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Path templates: identifiers folded, words split. */
class PathTemplateTest {

  @Test
  void foldsIdentifiers() {
    PathTemplate t =
        PathTemplate.of(
            "/v1/Users/42/orderItems/3f2b9c1de4a5b6c7d8e9/2024-05-01"
                + "/123e4567-e89b-12d3-a456-426614174000");

    assertThat(t.template()).isEqualTo("/v1/users/{id}/orderitems/{id}/{id}/{id}");
    assertThat(t.words()).containsExactly("users", "order", "items");
    assertThat(t.idSegments()).isEqualTo(4);
    assertThat(t.lastIsId()).isTrue();
    assertThat(t.hasVersion()).isTrue();
  }

  @Test
  void splitsSnakeKebabAndUnderscoreActions() {
    PathTemplate t = PathTemplate.of("/my_index/_update_by_query/user-profile");

    assertThat(t.words())
        .containsExactly("my", "index", "update", "by", "query", "user", "profile");
    assertThat(t.underscoreAction()).isTrue();
    assertThat(t.lastIsId()).isFalse();
    assertThat(t.lastWords()).containsExactly("user", "profile");
  }

  @Test
  void dropsResponseFormatSuffixes() {
    PathTemplate list = PathTemplate.of("/admin/badges.json");
    assertThat(list.template()).isEqualTo("/admin/badges");
    assertThat(list.lastWords()).containsExactly("badges");
    assertThat(PathTemplate.of("/t/1234.json").template()).isEqualTo("/t/{id}");
    assertThat(PathTemplate.of("/t/1234.json").lastIsId()).isTrue();
    assertThat(PathTemplate.of("/feeds/latest.RSS").words()).containsExactly("feeds", "latest");
    assertThat(PathTemplate.of("/files/report.pdf").words()).contains("pdf");
  }

  @Test
  void lastWords_noneWhenTheLastSegmentIsAnIdentifierOrAVersion() {
    assertThat(PathTemplate.of("/threads/thread_id/runs").lastWords()).containsExactly("runs");
    assertThat(PathTemplate.of("/v1/pipelineJobs").lastWords()).containsExactly("pipeline", "jobs");
    assertThat(PathTemplate.of("/runs/42").lastWords()).isEmpty();
    assertThat(PathTemplate.of("/api/v2").lastWords()).isEmpty();
    assertThat(PathTemplate.of("/").lastWords()).isEmpty();
  }

  @Test
  void placeholdersAndCodesAreIdentifiers() {
    assertThat(PathTemplate.isIdentifier("{owner}")).isTrue();
    assertThat(PathTemplate.isIdentifier(":id")).isTrue();
    assertThat(PathTemplate.isIdentifier("ORD-20931")).isTrue();
    assertThat(PathTemplate.isIdentifier("octocat")).isFalse();
    assertThat(PathTemplate.isIdentifier("s3")).isFalse();
  }

  @Test
  void titleSlugsAreIdentifiers_endpointNamesAreNot() {
    PathTemplate t = PathTemplate.of("/api/articles/how-to-train-your-dragon/comments");
    assertThat(t.template()).isEqualTo("/api/articles/{id}/comments");
    assertThat(t.words()).containsExactly("api", "articles", "comments");
    assertThat(PathTemplate.isIdentifier("the-best-pizza-in-town")).isTrue();
    // Endpoint names: no function word, fewer than four words, or not lower-case kebab-case.
    assertThat(PathTemplate.isIdentifier("fork-pr-workflows-private-repos")).isFalse();
    assertThat(PathTemplate.isIdentifier("add-to-cart")).isFalse();
    assertThat(PathTemplate.isIdentifier("required_pull_request_reviews")).isFalse();
    assertThat(PathTemplate.isIdentifier("How-To-Train-Your-Dragon")).isFalse();
  }

  @Test
  void emptyPath() {
    assertThat(PathTemplate.of("/").template()).isEqualTo("/");
    assertThat(PathTemplate.of("").segments()).isZero();
  }
}
