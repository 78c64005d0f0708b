package dev.semlb.classifier.head;

import dev.semlb.classifier.ClassifierStage;
import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Outcome;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.embedding.EmbeddingCall;
import dev.semlb.classifier.embedding.ModelQueue;
import dev.semlb.classifier.embedding.TextEmbedder;
import dev.semlb.classifier.signals.RequestSignals;
import dev.semlb.classifier.view.RequestSummary;
import dev.semlb.classifier.view.RequestView;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The learned decision head: request signals plus (for a head trained with them) the embedding of
 * the request summary, scored by a {@link HeadModel}. Sure when the best pool's probability reaches
 * {@code minProbability} and beats the runner-up by {@code margin}; otherwise it offers the best
 * pool as an unsure candidate.
 *
 * <p>If the embedding cannot be had in time, the head decides on signals alone (the embedding part
 * is set to the training mean) and is never sure. Its reason names the probabilities, the runner-up
 * and the top signals, never body text. Thread-safe.
 */
public final class HeadStage implements ClassifierStage {

  private final HeadModel model;
  private final HeadSettings settings;
  private final TextEmbedder embedder;
  private final ModelQueue inference;

  /**
   * @param embedder the embedding model; may be null only for a signals-only model
   * @param inference runs model calls; bounded, sized to the cores
   */
  public HeadStage(HeadSettings settings, TextEmbedder embedder, ModelQueue inference) {
    this.settings = settings;
    this.model = settings.model();
    if (model.embeddingDim() > 0 && embedder == null) {
      throw new IllegalArgumentException(
          "head model " + settings.modelFile() + " needs the embedding model");
    }
    this.embedder = embedder;
    this.inference = inference;
  }

  @Override
  public Stage stage() {
    return Stage.HEAD;
  }

  @Override
  public Outcome decide(RequestView request, Deadline deadline) {
    return ClassifierStage.await(decideAsync(request, deadline), deadline);
  }

  @Override
  public CompletableFuture<Outcome> decideAsync(RequestView request, Deadline deadline) {
    double[] signals = RequestSignals.of(request);
    if (model.embeddingDim() == 0) {
      return CompletableFuture.completedFuture(
          judge(signals, model.standardize(signals, null), true));
    }
    return EmbeddingCall.async(
            embedder, RequestSummary.of(request, model.maxWords()), inference, deadline)
        .thenApply(
            embedding -> judge(signals, model.standardize(signals, embedding), embedding != null));
  }

  /** The outcome for raw signals and their standardized feature vector. */
  Outcome judge(double[] signals, double[] x, boolean complete) {
    double[] p = model.probabilities(x);
    int best = 0;
    int second = p.length > 1 ? 1 : 0;
    for (int c = 0; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    for (int c = 0; c < p.length; c++) {
      if (c != best && (second == best || p[c] > p[second])) {
        second = c;
      }
    }
    List<HeadModel.Contribution> top = model.contributions(x, signals, best, second, 3);
    String reason =
        String.format(
            Locale.ROOT,
            "head: %s %.2f, runner-up %s %.2f; %s%s",
            model.pools().get(best),
            p[best],
            model.pools().get(second),
            p[second],
            top.isEmpty()
                ? "no signal stood out"
                : top.stream()
                    .map(c -> String.format(Locale.ROOT, "%s +%.1f", c.feature(), c.value()))
                    .collect(Collectors.joining(", ")),
            complete ? "" : " (embedding late: signals only)");
    Decision decision =
        new Decision(
            model.pools().get(best), Math.max(0, Math.min(1, p[best])), Stage.HEAD, reason);
    boolean sure =
        complete
            && p[best] >= settings.minProbability()
            && p[best] - p[second] >= settings.margin();
    return sure ? Outcome.sure(decision) : Outcome.unsure(decision);
  }
}
