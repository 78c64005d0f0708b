package dev.semlb.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A node of a parsed YAML document that knows where it is ({@code file: a.b[2].c}), so every
 * validation error can say exactly which value was wrong and what was expected.
 *
 * <p>Readers call {@link #onlyKeys} so that a misspelled key is an error rather than a silently
 * ignored setting. Immutable.
 *
 * <p>Parsing is bounded: at most {@link #MAX_DOCUMENT_BYTES} are read and at most {@link
 * #MAX_NESTING_DEPTH} levels of nesting are accepted, and YAML aliases ({@code *name}) are rejected
 * (Jackson would read one as the text of its anchor's name, silently).
 */
public final class ConfigNode {

  /**
   * The largest config file accepted, 1 MiB: far above any real config (the shipped ones are under
   * 16 KiB) and small enough to parse in well under a second (SnakeYAML's scanner is quadratic in
   * the length of one scalar).
   */
  public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

  /** The deepest nesting of mappings and lists accepted; real configs nest about 6 levels. */
  public static final int MAX_NESTING_DEPTH = 64;

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

  // A key given twice in one mapping is refused, not silently resolved to its last value.
  private static final ObjectMapper YAML =
      new ObjectMapper(yamlFactory())
          .enable(
              com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private final JsonNode node;
  private final String file;
  private final String path;

  private ConfigNode(JsonNode node, String file, String path) {
    this.node = node;
    this.file = file;
    this.path = path;
  }

  private static YAMLFactory yamlFactory() {
    LoaderOptions loader = new LoaderOptions();
    loader.setCodePointLimit(MAX_DOCUMENT_BYTES);
    return YAMLFactory.builder()
        .loaderOptions(loader)
        .streamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
        .build();
  }

  /** Reads and parses a YAML file; its root must be a mapping. */
  public static ConfigNode load(Path file) throws ConfigException {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read " + file + " (" + e.getMessage() + ")", e);
    }
    return parse(name, bytes);
  }

  /** Parses YAML text; {@code name} is used in error messages. */
  public static ConfigNode parse(String name, byte[] yaml) throws ConfigException {
    if (yaml.length > MAX_DOCUMENT_BYTES) {
      throw new ConfigException(
          name + ": larger than " + MAX_DOCUMENT_BYTES + " bytes (expected: at most 1 MiB)");
    }
    JsonNode root;
    try (JsonParser parser = new NoAliases(YAML.getFactory().createParser(yaml))) {
      root = YAML.readTree(parser);
    } catch (IOException e) {
      String detail =
          e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      Matcher twice = DUPLICATE.matcher(detail);
      if (twice.lookingAt()) {
        detail = "key '" + twice.group(1) + "' given twice in one mapping (expected: once)";
      }
      throw new ConfigException(name + ": not valid YAML (" + detail + ")", e);
    } catch (RuntimeException e) {
      // A bug in the YAML parser (SnakeYAML 2.3 threw IndexOutOfBoundsException on some input)
      // must still end as an error that names the file, not escape a config reload.
      throw new ConfigException(name + ": cannot be parsed (YAML parser failure: " + e + ")", e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(name + ": empty document (expected: a mapping)");
    }
    ConfigNode node = new ConfigNode(root, name, "");
    node.requireObject();
    return node;
  }

  /** Where this node is, e.g. {@code rules[2].match}; empty for the root. */
  public String path() {
    return path;
  }

  /** A ConfigException for this node: {@code file: path: 'value' (expected: what)}. */
  public ConfigException invalid(String expected) {
    return new ConfigException(
        file
            + ": "
            + (path.isEmpty() ? "(root)" : path)
            + ": "
            + describe(node)
            + " (expected: "
            + expected
            + ")");
  }

  /** Rejects keys other than {@code allowed}. */
  public ConfigNode onlyKeys(String... allowed) throws ConfigException {
    requireObject();
    Set<String> known = Set.of(allowed);
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new ConfigException(
            file
                + ": "
                + child(name)
                + ": unknown key (expected one of: "
                + new TreeSet<>(known)
                + ")");
      }
    }
    return this;
  }

  /** Whether this mapping has {@code key} with a non-null value. */
  public boolean has(String key) {
    JsonNode value = node.get(key);
    return value != null && !value.isNull();
  }

  /** The child at {@code key}, which must be present. */
  public ConfigNode get(String key) throws ConfigException {
    requireObject();
    if (!has(key)) {
      throw new ConfigException(file + ": " + child(key) + ": missing (expected: a value)");
    }
    return new ConfigNode(node.get(key), file, child(key));
  }

  /** A required non-blank string. */
  public String text(String key) throws ConfigException {
    return get(key).asText();
  }

  /** An optional string, or {@code fallback} when the key is absent. */
  public String text(String key, String fallback) throws ConfigException {
    return has(key) ? text(key) : fallback;
  }

  /** This node as a non-blank string (numbers and booleans are accepted as text). */
  public String asText() throws ConfigException {
    if (!node.isValueNode() || node.asText().isBlank()) {
      throw invalid("a non-empty string");
    }
    return node.asText();
  }

  /** An optional integer within {@code [min, max]}. */
  public long integer(String key, long fallback, long min, long max) throws ConfigException {
    if (!has(key)) {
      return fallback;
    }
    ConfigNode child = get(key);
    // canConvertToLong: asLong() would wrap a larger integer around (2^64 would read as 0).
    if (!child.node.isIntegralNumber()
        || !child.node.canConvertToLong()
        || child.node.asLong() < min
        || child.node.asLong() > max) {
      throw child.invalid(range("an integer", min, max));
    }
    return child.node.asLong();
  }

  /** An optional number within {@code [min, max]}. */
  public double number(String key, double fallback, double min, double max) throws ConfigException {
    if (!has(key)) {
      return fallback;
    }
    ConfigNode child = get(key);
    double value = child.node.asDouble();
    if (!child.node.isNumber() || !(value >= min && value <= max)) {
      throw child.invalid(range("a number", min, max));
    }
    return value;
  }

  /** An optional boolean. */
  public boolean bool(String key, boolean fallback) throws ConfigException {
    if (!has(key)) {
      return fallback;
    }
    ConfigNode child = get(key);
    if (!child.node.isBoolean()) {
      throw child.invalid("true or false");
    }
    return child.node.asBoolean();
  }

  /** The elements of an optional sequence; empty when absent. */
  public List<ConfigNode> list(String key) throws ConfigException {
    if (!has(key)) {
      return List.of();
    }
    ConfigNode child = get(key);
    if (!child.node.isArray()) {
      throw child.invalid("a list");
    }
    List<ConfigNode> items = new ArrayList<>(child.node.size());
    for (int i = 0; i < child.node.size(); i++) {
      items.add(new ConfigNode(child.node.get(i), file, child.path + "[" + i + "]"));
    }
    return items;
  }

  /** The strings of an optional sequence; a single string is accepted as a one-item list. */
  public List<String> texts(String key) throws ConfigException {
    if (has(key) && node.get(key).isValueNode()) {
      return List.of(get(key).asText());
    }
    List<String> out = new ArrayList<>();
    for (ConfigNode item : list(key)) {
      out.add(item.asText());
    }
    return out;
  }

  /** Whether this node is a sequence. */
  public boolean isList() {
    return node.isArray();
  }

  /** Whether this node is a scalar (string, number or boolean). */
  public boolean isScalar() {
    return node.isValueNode();
  }

  /** The keys of this mapping, in file order. */
  public List<String> keys() throws ConfigException {
    requireObject();
    List<String> keys = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** This node, checked to be a mapping. */
  public ConfigNode requireObject() throws ConfigException {
    if (!node.isObject()) {
      throw invalid("a mapping");
    }
    return this;
  }

  private String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String range(String what, double min, double max) {
    String lo = min == Math.rint(min) ? Long.toString((long) min) : Double.toString(min);
    String hi = max == Math.rint(max) ? Long.toString((long) max) : Double.toString(max);
    if (max >= Long.MAX_VALUE || max == Double.MAX_VALUE) {
      return what + " >= " + lo;
    }
    return what + " in [" + lo + ", " + hi + "]";
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      String text = node.asText();
      return "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.asText();
  }

  /** Refuses YAML aliases, which Jackson would otherwise read as the text of the anchor's name. */
  private static final class NoAliases extends JsonParserDelegate {

    NoAliases(JsonParser yaml) {
      super(yaml);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      return checked(super.nextToken());
    }

    @Override
    public JsonToken nextValue() throws IOException {
      return checked(super.nextValue());
    }

    private JsonToken checked(JsonToken token) throws IOException {
      if (((YAMLParser) delegate).isCurrentAlias()) {
        throw new JsonParseException(
            this,
            "alias *"
                + getText()
                + " at line "
                + currentTokenLocation().getLineNr()
                + " is not supported (write the value out)");
      }
      return token;
    }
  }
}
