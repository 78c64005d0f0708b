package dev.semlb.classifier.eval;

import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.RequestView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classifies labelled requests with a routing table, exactly as the service would (body extraction
 * included), and collects an {@link EvalReport}. Stateless.
 */
public final class Evaluator {

  private Evaluator() {}

  /** Words of a misrouted request's body text that a report shows (enough to find the case). */
  static final int EXCERPT_WORDS = 14;

  /**
   * One labelled request's outcome.
   *
   * @param request the case
   * @param decision what the classifier decided
   * @param nanos how long the decision took
   * @param excerpt the first {@link #EXCERPT_WORDS} words of the body text the classifier read (for
   *     an LLM request: its prompt), whitespace collapsed; "" when it had none (reports show it for
   *     misrouted cases)
   */
  public record Result(LabelledRequest request, Decision decision, long nanos, String excerpt) {
    /** Whether it reached the expected pool. */
    public boolean correct() {
      return decision.pool().equals(request.expectedPool());
    }
  }

  /** Classifies every case once, in order, on the calling thread. */
  public static EvalReport run(Pipeline table, List<LabelledRequest> cases) {
    List<Result> results = new ArrayList<>(cases.size());
    for (LabelledRequest c : cases) {
      long start = System.nanoTime();
      RequestView view = view(table, c);
      Decision decision = table.classifier().classify(view);
      long nanos = System.nanoTime() - start;
      results.add(new Result(c, decision, nanos, excerpt(view.body().text())));
    }
    return new EvalReport(table.config().poolNames(), results);
  }

  /** The request view the service would build for {@code c}. */
  public static RequestView view(Pipeline table, LabelledRequest c) {
    byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    if (!c.contentType().isEmpty()) {
      headers.put("content-type", c.contentType());
    }
    return table.view(c.method(), c.path(), headers, body, body.length);
  }

  /** The first {@link #EXCERPT_WORDS} words of {@code text}, on one line. */
  static String excerpt(String text) {
    String[] words = text.strip().split("\\s+", EXCERPT_WORDS + 1);
    return words.length <= EXCERPT_WORDS
        ? String.join(" ", words)
        : String.join(" ", Arrays.copyOf(words, EXCERPT_WORDS)) + " ...";
  }

  /** How many results each stage decided. */
  static Map<Stage, Integer> byStage(List<Result> results) {
    Map<Stage, Integer> counts = new EnumMap<>(Stage.class);
    results.forEach(r -> counts.merge(r.decision().stage(), 1, Integer::sum));
    return counts;
  }
}
