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
        1_000);
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
}
