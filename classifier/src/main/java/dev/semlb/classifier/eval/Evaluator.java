package dev.semlb.classifier.eval;

import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.RequestView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

  /** One labelled request's outcome. */
  public record Result(LabelledRequest request, Decision decision, long nanos) {
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
      Decision decision = table.classifier().classify(view(table, c));
      results.add(new Result(c, decision, System.nanoTime() - start));
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

  /** How many results each stage decided. */
  static Map<Stage, Integer> byStage(List<Result> results) {
    Map<Stage, Integer> counts = new EnumMap<>(Stage.class);
    results.forEach(r -> counts.merge(r.decision().stage(), 1, Integer::sum));
    return counts;
  }
}
