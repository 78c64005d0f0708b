package dev.semlb.classifier.models;

import dev.semlb.classifier.Decision;
import java.util.Optional;

/**
 * What to do with one request of an LLM gateway, decided from its body's {@code model} before (or
 * instead of) classification. Immutable.
 */
public sealed interface ModelPlan {

  /** Not a model request (or model handling is off): classify it as any other request. */
  ModelPlan CLASSIFY = new Classify();

  /** Classify as usual; see {@link #CLASSIFY}. */
  record Classify() implements ModelPlan {}

  /**
   * The request asked for an alias such as {@code auto}: classify it, then rewrite its {@code
   * model} to the chosen pool's.
   *
   * @param models the configured models
   * @param field where the alias sits in the body
   */
  record Choose(dev.semlb.config.PoolModels models, ModelField field) implements ModelPlan {

    /**
     * The body to send to {@code decision}'s pool: {@code body} with its model replaced by the
     * pool's, or empty when the pool names no model (the body goes on unchanged).
     */
    public Optional<byte[]> rewrite(byte[] body, Decision decision) {
      return models.modelOf(decision.pool()).map(model -> field.replace(body, model));
    }

    /** The model the body names once rewritten for {@code decision}'s pool. */
    public String modelFor(Decision decision) {
      return models.modelOf(decision.pool()).orElse(field.value());
    }
  }

  /**
   * The request named a model one pool serves (or an unknown model that goes to the default pool):
   * routed without classification, the body unchanged.
   *
   * @param decision the pool, stage {@link dev.semlb.classifier.Stage#MODEL}
   * @param model the model the body names (and goes on naming)
   */
  record Route(Decision decision, String model) implements ModelPlan {}

  /**
   * Answered at once, without an upstream (the model list, an unknown model).
   *
   * @param status the HTTP status
   * @param json the JSON response body (OpenAI's formats)
   */
  record Answer(int status, byte[] json) implements ModelPlan {}
}
