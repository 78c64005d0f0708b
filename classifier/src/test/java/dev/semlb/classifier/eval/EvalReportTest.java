package dev.semlb.classifier.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalReportTest {

  private static Evaluator.Result result(String expected, String got, Stage stage) {
    return new Evaluator.Result(
        new LabelledRequest(expected, "GET", "/x", "", "", "test"),
        new Decision(got, 0.9, stage, "because"),
        1_000,
        "");
  }

  @Test
  void eachStageShowsItsShareAndHowManyOfItsOwnDecisionsWereRight() {
    EvalReport report =
        new EvalReport(
            List.of("fast-path", "general"),
            List.of(
                result("general", "general", Stage.HEAD),
                result("general", "general", Stage.HEAD),
                result("general", "general", Stage.HEAD),
                result("general", "fast-path", Stage.EMBEDDING),
                result("fast-path", "fast-path", Stage.EMBEDDING),
                result("fast-path", "general", Stage.DEFAULT)));

    String text = report.format(false);

    assertThat(text).containsPattern("(?m)^  head\\s+3\\s+50\\.0%\\s+right\\s+100\\.0%$");
    assertThat(text).containsPattern("(?m)^  embedding\\s+2\\s+33\\.3%\\s+right\\s+50\\.0%$");
    assertThat(text).containsPattern("(?m)^  default\\s+1\\s+16\\.7%\\s+right\\s+0\\.0%$");
  }

  @Test
  void aMisroutedCaseNamesItsSourceAndTheFirstWordsOfItsBody() {
    List<LabelledRequest> cases =
        List.of(
            new LabelledRequest(
                "code",
                "POST",
                "/v1/chat/completions",
                "application/json",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"what does   git\\nrebase do\"}]}",
                "some-dataset"),
            new LabelledRequest("chat", "GET", "/healthz", "", "", ""));
    EvalReport report =
        new EvalReport(
            List.of("code", "chat"),
            List.of(
                new Evaluator.Result(
                    cases.get(0),
                    new Decision("chat", 0.6, Stage.HEAD, "head: chat 0.60"),
                    1_000,
                    Evaluator.excerpt("what does   git\nrebase do")),
                new Evaluator.Result(
                    cases.get(1), new Decision("code", 0.6, Stage.HEAD, "head"), 1_000, "")));

    String text = report.format(true);

    assertThat(text)
        .contains(
            "  [some-dataset] POST /v1/chat/completions -> code got chat [head] head: chat 0.60\n"
                + "      \"what does git rebase do\"\n")
        .contains("  GET /healthz -> chat got code [head] head\n")
        .doesNotContain("[] GET");
  }

  @Test
  void anExcerptKeepsTheFirstWordsAndSaysWhenItCut() {
    assertThat(Evaluator.excerpt("")).isEmpty();
    assertThat(Evaluator.excerpt("  \n ")).isEmpty();
    assertThat(Evaluator.excerpt("one two")).isEqualTo("one two");
    String many = "w ".repeat(Evaluator.EXCERPT_WORDS + 5);
    assertThat(Evaluator.excerpt(many))
        .isEqualTo(("w ".repeat(Evaluator.EXCERPT_WORDS)).strip() + " ...");
  }
}
