package dev.semlb.classifier.embedding;

import dev.semlb.classifier.ClassifierStage;
import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Outcome;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.BodyKind;
import dev.semlb.classifier.view.RequestSummary;
import dev.semlb.classifier.view.RequestView;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Routes by meaning: embeds a compact summary of the request and compares it with each pool's
 * examples. Sure when the best pool scores at least {@code threshold} and beats the runner-up by
 * {@code margin} ({@code marginWithoutBody} for a request without body text); otherwise it offers
 * the best pool as an unsure candidate.
 *
 * <p>Inference runs on the given bounded executor and counts only until the deadline; a late or
 * rejected inference makes the stage pass. Thread-safe.
 */
public final class EmbeddingStage implements ClassifierStage {

  private final TextEmbedder embedder;
  private final ExampleIndex index;
  private final EmbeddingSettings settings;
  private final ModelQueue inference;

  /**
   * @param inference runs model calls; bounded, sized to the cores
   */
  public EmbeddingStage(
      TextEmbedder embedder, ExampleIndex index, EmbeddingSettings settings, ModelQueue inference) {
    this.embedder = embedder;
    this.index = index;
    this.settings = settings;
    this.inference = inference;
  }

  @Override
  public Stage stage() {
    return Stage.EMBEDDING;
  }

  @Override
  public Outcome decide(RequestView request, Deadline deadline) {
    return ClassifierStage.await(decideAsync(request, deadline), deadline);
  }

  @Override
  public CompletableFuture<Outcome> decideAsync(RequestView request, Deadline deadline) {
    String summary = RequestSummary.of(request, settings.maxWords());
    return EmbeddingCall.async(embedder, summary, inference, deadline)
        .thenApply(
            vector ->
                vector == null ? Outcome.pass() : judge(index.score(vector), hasOwnWords(request)));
  }

  /**
   * Turns pool scores (best first) into an outcome: sure when the best reaches the threshold and
   * beats the runner-up by the margin for a request with a body, or without one.
   */
  Outcome judge(List<ExampleIndex.PoolScore> scores, boolean hasBody) {
    if (scores.isEmpty()) {
      return Outcome.pass();
    }
    ExampleIndex.PoolScore best = scores.get(0);
    double runnerUp = scores.size() > 1 ? scores.get(1).score() : 0;
    double confidence = Math.max(0, Math.min(1, best.score()));
    String reason =
        String.format(
            Locale.ROOT,
            "nearest examples of %s (%.2f vs %s %.2f): '%s'",
            best.pool(),
            best.score(),
            scores.size() > 1 ? scores.get(1).pool() : "-",
            runnerUp,
            clip(best.nearestExample()));
    Decision decision = new Decision(best.pool(), confidence, Stage.EMBEDDING, reason);
    boolean sure =
        best.score() >= settings.threshold()
            && best.score() - runnerUp
                >= (hasBody ? settings.margin() : settings.marginWithoutBody());
    return sure ? Outcome.sure(decision) : Outcome.unsure(decision);
  }

  /**
   * Whether the request's body brings words of its own to compare: body text that is not a GraphQL
   * document (whose words are field names, read by the head's GraphQL signals like a path's words).
   */
  static boolean hasOwnWords(RequestView request) {
    return !request.body().text().isBlank() && request.body().kind() != BodyKind.GRAPHQL;
  }

  private static String clip(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
