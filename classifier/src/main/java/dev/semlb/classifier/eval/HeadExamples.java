package dev.semlb.classifier.eval;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.embedding.TextEmbedder;
import dev.semlb.classifier.head.HeadTrainer;
import dev.semlb.classifier.signals.RequestSignals;
import dev.semlb.classifier.view.RequestSummary;
import dev.semlb.classifier.view.RequestView;
import java.util.List;

/**
 * Turns labelled requests into the decision head's training examples exactly as serving sees them:
 * the routing table's request view, its signals and the embedding of its summary. Stateless.
 */
public final class HeadExamples {

  private HeadExamples() {}

  /**
   * @param embedder null for a signals-only head
   * @param maxWords words of the request summary embedded
   */
  public static List<HeadTrainer.Example> of(
      Pipeline table, List<LabelledRequest> cases, TextEmbedder embedder, int maxWords) {
    return cases.stream()
        .map(
            c -> {
              RequestView view = Evaluator.view(table, c);
              float[] vector =
                  embedder == null ? null : embedder.embed(RequestSummary.of(view, maxWords));
              return new HeadTrainer.Example(
                  RequestSignals.of(view),
                  vector,
                  c.expectedPool(),
                  c.source().isEmpty() ? "unknown" : c.source());
            })
        .toList();
  }
}
