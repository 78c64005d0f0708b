package dev.semlb.classifier.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Stage;
import dev.semlb.config.PoolModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Model selection for semlb as an LLM gateway (OpenAI-compatible APIs): turns a request's {@code
 * model} into a {@link ModelPlan}. Pure and immutable (thread-safe); one per loaded pools file.
 *
 * <ul>
 *   <li>{@code GET /v1/models}: the aliases and the pools' models, in OpenAI's list format; {@code
 *       GET /v1/models/<id>} one of them, or 404 {@code model_not_found};
 *   <li>a JSON object body whose top-level {@code model} is an alias ({@code auto}): classified as
 *       usual, then its {@code model} rewritten to the chosen pool's;
 *   <li>a model a pool serves: that pool, stage {@link Stage#MODEL}, body unchanged;
 *   <li>any other model: 404 {@code model_not_found}, or the default pool when configured;
 *   <li>two top-level {@code model} keys: 400 (upstreams disagree on which one counts);
 *   <li>everything else (no body, not JSON, no string {@code model}, a compressed body, or no pool
 *       naming a model): classified as any request.
 * </ul>
 */
public final class ModelSelection {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LIST_PATH = "/v1/models";
  private static final int MAX_ECHOED_CHARS = 256;

  /** Model handling off: every request is classified as usual. (After the constants it uses.) */
  public static final ModelSelection OFF = new ModelSelection(PoolModels.NONE, 0);

  private final PoolModels models;
  private final long created;
  private final byte[] list;

  /**
   * @param models the pools' models, aliases and unknown-model policy
   * @param created the {@code created} time (epoch seconds) the model list reports
   */
  public ModelSelection(PoolModels models, long created) {
    this.models = Objects.requireNonNull(models, "models");
    this.created = created;
    ObjectNode body = JSON.createObjectNode().put("object", "list");
    ArrayNode data = body.putArray("data");
    for (String id : served()) {
      data.add(model(id));
    }
    this.list = bytes(body);
  }

  /** The configured models. */
  public PoolModels models() {
    return models;
  }

  /** Whether any pool names a model. */
  public boolean enabled() {
    return models.enabled();
  }

  /** The aliases, then the pools' models: what {@code GET /v1/models} lists. */
  public List<String> served() {
    List<String> ids = new ArrayList<>(models.aliases());
    ids.addAll(models.modelByPool().values());
    return ids;
  }

  /**
   * The plan for a request without its body (the headers phase): an answer for {@code GET
   * /v1/models[/<id>]}, else {@link ModelPlan#CLASSIFY} (a body, if any, is planned by {@link
   * #plan(Map, byte[], String)}).
   *
   * @param method the HTTP method
   * @param target the path with query
   */
  public ModelPlan plan(String method, String target) {
    if (!enabled() || !method.equals("GET")) {
      return ModelPlan.CLASSIFY;
    }
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    if (path.equals(LIST_PATH) || path.equals(LIST_PATH + "/")) {
      return new ModelPlan.Answer(200, list);
    }
    if (path.startsWith(LIST_PATH + "/")) {
      String id = path.substring(LIST_PATH.length() + 1);
      return served().contains(id) ? new ModelPlan.Answer(200, bytes(model(id))) : notFound(id);
    }
    return ModelPlan.CLASSIFY;
  }

  /**
   * The plan for a request with its whole body.
   *
   * @param headers the request headers by lower-case name
   * @param body the whole body
   * @param defaultPool the pool an unknown model goes to when so configured
   */
  public ModelPlan plan(Map<String, String> headers, byte[] body, String defaultPool) {
    if (!enabled() || body.length == 0) {
      return ModelPlan.CLASSIFY;
    }
    if (encoded(headers)) {
      return ModelPlan.CLASSIFY; // neither readable nor rewritable here
    }
    ModelField field = ModelField.find(body);
    switch (field.kind()) {
      case ABSENT:
        return ModelPlan.CLASSIFY;
      case DUPLICATE:
        return error(
            400, "The request has more than one 'model' field.", "invalid_request_error", null);
      default:
        break;
    }
    String model = field.value();
    if (models.isAlias(model)) {
      return new ModelPlan.Choose(models, field);
    }
    var pool = models.poolOf(model);
    if (pool.isPresent()) {
      return new ModelPlan.Route(
          new Decision(pool.get(), 1.0, Stage.MODEL, "model '" + model + "'"), model);
    }
    if (models.unknownModel() == PoolModels.UnknownModel.DEFAULT) {
      return new ModelPlan.Route(
          new Decision(defaultPool, 1.0, Stage.MODEL, "unknown model: the default pool"), model);
    }
    return notFound(model);
  }

  /**
   * The body for one attempt of a request that Envoy sends to a host serving {@code hostModel} (the
   * upstream, per-attempt rewrite: a fallback pool's host, or a retry that landed there). Only a
   * body whose top-level {@code model} is an alias or one of the pools' models is changed, and only
   * when that differs from {@code hostModel}: a model no pool serves (routed to the default pool by
   * {@code unknownModel: default}) goes on as the client wrote it.
   *
   * @param hostModel the model of the chosen host (its endpoint metadata); empty for none
   * @param headers the request headers by lower-case name
   * @param body the whole body
   * @return the body with {@code model} set to {@code hostModel}, or empty to send it unchanged
   */
  public Optional<byte[]> forHost(String hostModel, Map<String, String> headers, byte[] body) {
    if (!enabled() || hostModel.isEmpty() || body.length == 0 || encoded(headers)) {
      return Optional.empty();
    }
    ModelField field = ModelField.find(body);
    if (field.kind() != ModelField.Kind.FOUND || field.value().equals(hostModel)) {
      return Optional.empty();
    }
    String model = field.value();
    if (!models.isAlias(model) && models.poolOf(model).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(field.replace(body, hostModel));
  }

  /** Whether the body is compressed (neither readable nor rewritable here). */
  private static boolean encoded(Map<String, String> headers) {
    String encoding = headers.get("content-encoding");
    return encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity");
  }

  private ModelPlan notFound(String model) {
    String shown =
        model.length() > MAX_ECHOED_CHARS ? model.substring(0, MAX_ECHOED_CHARS) + "..." : model;
    return error(
        404,
        "The model '"
            + shown
            + "' is not served here (models: "
            + String.join(", ", served())
            + ").",
        "invalid_request_error",
        "model_not_found");
  }

  private static ModelPlan error(int status, String message, String type, String code) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error")
        .put("message", message)
        .put("type", type)
        .put("param", "model")
        .put("code", code);
    return new ModelPlan.Answer(status, bytes(body));
  }

  private ObjectNode model(String id) {
    return JSON.createObjectNode()
        .put("id", id)
        .put("object", "model")
        .put("created", created)
        .put("owned_by", "semlb");
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
