package dev.semlb.classifier.head;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semlb.classifier.embedding.EmbeddingModel;
import dev.semlb.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes a {@link HeadModel} as JSON ({@code "format": "semlb-head", "version": 1}).
 * Reading validates everything: format and version, the signal schema, the shipped {@link
 * EmbeddingModel} a head with an embedding names, array sizes, finite numbers; any problem is a
 * {@link ConfigException} naming the file and the field. Writing is deterministic (same model, same
 * bytes). Stateless.
 */
public final class HeadModelFile {

  /** The format name written into every file. */
  public static final String FORMAT = "semlb-head";

  /** The file format version this code reads and writes. */
  public static final int VERSION = 1;

  /** Model files larger than this are refused. */
  public static final long MAX_BYTES = 16L * 1024 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private HeadModelFile() {}

  /** Loads and validates a model file. */
  public static HeadModel read(Path file) throws ConfigException {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new ConfigException(
            file + ": " + Files.size(file) + " bytes (expected: <= " + MAX_BYTES + ")");
      }
      return parse(file.toString(), JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new ConfigException(
          file + ": cannot read the head model (" + firstLine(e.getMessage()) + ")");
    }
  }

  static HeadModel parse(String name, JsonNode root) throws ConfigException {
    if (root == null || !root.isObject()) {
      throw new ConfigException(name + ": not a JSON object (expected: a semlb-head model)");
    }
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new ConfigException(
          name + ": format: '" + root.path("format").asText() + "' (expected: " + FORMAT + ")");
    }
    if (root.path("version").asInt(-1) != VERSION) {
      throw new ConfigException(
          name + ": version: " + root.path("version") + " (expected: " + VERSION + ")");
    }
    int embeddingDim = root.path("embeddingDim").asInt(-1);
    String embeddingModel = root.path("embeddingModel").asText("");
    if (embeddingDim > 0 && EmbeddingModel.byId(embeddingModel).isEmpty()) {
      throw new ConfigException(
          name
              + ": embeddingModel: '"
              + embeddingModel
              + "' (expected: one of "
              + EmbeddingModel.ids()
              + ", the embeddings this build runs; retrain the head with the train command)");
    }
    try {
      JsonNode weights = array(root, "weights");
      double[][] w = new double[weights.size()][];
      for (int i = 0; i < w.length; i++) {
        w[i] = numbers(weights.get(i), "weights[" + i + "]");
      }
      return new HeadModel(
          texts(array(root, "pools")),
          texts(array(root, "signals")),
          root.path("signalsVersion").asInt(-1),
          embeddingDim,
          embeddingDim > 0 ? embeddingModel : "",
          root.path("maxWords").asInt(48),
          numbers(array(root, "mean"), "mean"),
          numbers(array(root, "scale"), "scale"),
          w,
          numbers(array(root, "bias"), "bias"),
          root.path("temperature").asDouble(Double.NaN),
          JSON.convertValue(
              root.path("training").isObject() ? root.path("training") : JSON.createObjectNode(),
              Map.class));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": " + e.getMessage());
    }
  }

  /** Writes {@code model} to {@code file} (replacing it). */
  public static void write(HeadModel model, Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.set("pools", JSON.valueToTree(model.pools()));
    root.put("signalsVersion", model.signalsVersion());
    root.set("signals", JSON.valueToTree(model.signals()));
    root.put("embeddingDim", model.embeddingDim());
    if (model.embeddingDim() > 0) {
      if (model.embeddingModel().isEmpty()) {
        throw new IllegalArgumentException(
            "embeddingModel: missing (expected: the id of the model the head was trained over,"
                + " see HeadModel.withEmbeddingModel)");
      }
      root.put("embeddingModel", model.embeddingModel());
    }
    root.put("maxWords", model.maxWords());
    root.put("temperature", round(model.temperature()));
    root.set("bias", rounded(model.bias()));
    root.set("mean", rounded(model.mean()));
    root.set("scale", rounded(model.scale()));
    ArrayNode weights = root.putArray("weights");
    for (double[] row : model.weights()) {
      weights.add(rounded(row));
    }
    root.set("training", JSON.valueToTree(model.training()));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, JSON.writeValueAsString(root) + "\n");
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static JsonNode array(JsonNode root, String field) {
    JsonNode node = root.path(field);
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          field
              + ": "
              + (node.isMissingNode() ? "missing" : node.getNodeType())
              + " (expected: an array)");
    }
    return node;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static double[] numbers(JsonNode array, String field) {
    if (!array.isArray()) {
      throw new IllegalArgumentException(
          field + ": " + array.getNodeType() + " (expected: an array of numbers)");
    }
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      if (!array.get(i).isNumber()) {
        throw new IllegalArgumentException(
            field + "[" + i + "]: " + array.get(i) + " (expected: a number)");
      }
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  /** Six significant digits: enough for the model, and files that diff well. */
  private static double round(double v) {
    return v == 0 ? 0 : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", v));
  }

  private static ArrayNode rounded(double[] values) {
    ArrayNode out = JSON.createArrayNode();
    for (double v : values) {
      out.add(round(v));
    }
    return out;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
