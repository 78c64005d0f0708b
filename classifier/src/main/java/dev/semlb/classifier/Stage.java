package dev.semlb.classifier;

/**
 * The tier of the classification pipeline that produced a {@link Decision}.
 *
 * <p>Tiers run in declaration order; the first one that is sure of its answer decides. {@link
 * #DEFAULT} is not a real stage: it records that no stage decided and the configured default pool
 * was used.
 */
public enum Stage {
  /**
   * A rule that Envoy's route table decided by itself, without ext_proc (reported afterwards over
   * the access log stream; see {@link dev.semlb.classifier.envoyroute.NativeRoutePlan}).
   */
  ENVOY_ROUTE("envoy-route"),
  /**
   * The request named a model that one pool serves (or, when configured, a model no pool serves,
   * sent to the default pool); see {@link dev.semlb.classifier.models.ModelSelection}.
   */
  MODEL("model"),
  /** Ordered, hand-written rules from the routing config. */
  RULES("rules"),
  /** The request's shape has measured upstream costs that fall in one pool's cost class. */
  MEASURED("measured"),
  /** A cached decision for an identical normalized request. */
  CACHE("cache"),
  /** The learned decision head over request signals and the request's embedding. */
  HEAD("head"),
  /** Similarity of the request to each pool's example payloads (in-process model). */
  EMBEDDING("embedding"),
  /** An LLM asked to choose among the configured pools. */
  LLM("llm"),
  /**
   * Conversation stickiness: the request's session kept the pool of its earlier turns although a
   * stage chose another, or moved to a new pool because a model stage was very sure (see {@link
   * dev.semlb.classifier.session.StickyClassifier}). Runs after the other stages.
   */
  STICKY("sticky"),
  /** No stage was sure; the default pool was used. */
  DEFAULT("default");

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  /** Lower-case name used in logs, metrics and headers. */
  public String label() {
    return label;
  }
}
