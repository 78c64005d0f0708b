package dev.semlb.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Random edits of a config file for the loaders' property tests: a few structural edits of its
 * parsed tree (drop, replace, rename or add a key, copy a subtree elsewhere) with values chosen to
 * sit on validation edges, written back as YAML or JSON, and now and then a few raw byte edits on
 * top. Deterministic for a given {@link Random}. Shared with the classifier and xds-server tests as
 * this module's test jar.
 */
public final class YamlMutations {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Values on or just past what the loaders accept, and a few that are plainly wrong. */
  private static final List<JsonNode> EDGE_VALUES =
      List.of(
          NODES.nullNode(),
          NODES.textNode(""),
          NODES.textNode(" "),
          NODES.booleanNode(true),
          NODES.booleanNode(false),
          NODES.numberNode(-1),
          NODES.numberNode(0),
          NODES.numberNode(1),
          NODES.numberNode(2),
          NODES.numberNode(4),
          NODES.numberNode(50),
          NODES.numberNode(64),
          NODES.numberNode(100),
          NODES.numberNode(128),
          NODES.numberNode(129),
          NODES.numberNode(1000),
          NODES.numberNode(1001),
          NODES.numberNode(65535),
          NODES.numberNode(65536),
          NODES.numberNode(60_000),
          NODES.numberNode(3_600_000),
          NODES.numberNode(Integer.MAX_VALUE),
          NODES.numberNode(Long.MAX_VALUE),
          NODES.numberNode(Long.MIN_VALUE),
          NODES.numberNode(BigInteger.TWO.pow(64).add(BigInteger.ONE)),
          NODES.numberNode(BigInteger.TWO.pow(32)),
          NODES.numberNode(0.5),
          NODES.numberNode(1.0),
          NODES.numberNode(1.5),
          NODES.numberNode(-0.0),
          NODES.numberNode(1e300),
          NODES.textNode("0.5"),
          NODES.textNode("12"),
          NODES.textNode("GET"),
          NODES.textNode("get"),
          NODES.textNode("BREW"),
          NODES.textNode("general"),
          NODES.textNode("fast-path"),
          NODES.textNode("high-compute"),
          NODES.textNode("Fast_Path"),
          NODES.textNode("-a"),
          NODES.textNode("a".repeat(63)),
          NODES.textNode("a".repeat(64)),
          NODES.textNode("("),
          NODES.textNode("[a-"),
          NODES.textNode("(?<n>x)\\k<n>"),
          NODES.textNode("\\"),
          NODES.textNode("a{2,1}"),
          NODES.textNode("(?i)^ok$"),
          NODES.textNode("\\p{IsLatin}+"),
          NODES.textNode("\\Q"),
          NODES.textNode("http://localhost:11434"),
          NODES.textNode("https://h"),
          NODES.textNode("http://"),
          NODES.textNode("ftp://x"),
          NODES.textNode("http://[::1"),
          NODES.textNode("http://[::1]:1"),
          NODES.textNode("127.0.0.1:9001"),
          NODES.textNode("127.0.0.1:0"),
          NODES.textNode("127.0.0.1:65536"),
          NODES.textNode("[::1]:80"),
          NODES.textNode("::1:80"),
          NODES.textNode("[::1]"),
          NODES.textNode("host"),
          NODES.textNode("a:b:c"),
          NODES.textNode(" 10.0.0.1:80 "),
          NODES.textNode("x-session-id"),
          NODES.textNode("X-Session"),
          NODES.textNode("ring_hash"),
          NODES.textNode("maglev"),
          NODES.textNode("least_request"),
          NODES.textNode("/healthz"),
          NODES.textNode("healthz"),
          NODES.textNode("*"),
          NODES.textNode("**"),
          NODES.textNode("/api/**/x?"),
          NODES.textNode("messages.*.role"),
          NODES.textNode("messages.0.content"),
          NODES.textNode("."),
          NODES.textNode("blue"),
          NODES.textNode("v1.2_rc-3"),
          NODES.textNode("héllo wörld"),
          NODES.textNode("\u0000"));

  private YamlMutations() {}

  /** {@code seed} (a YAML document) with 1 to 4 random edits. */
  public static byte[] mutate(byte[] seed, Random random) {
    JsonNode root;
    try {
      root = YAML.readTree(seed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> keys = new TreeSet<>();
    collectKeys(root, keys);
    List<String> vocabulary = new ArrayList<>(keys);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      root = edit(root, random, vocabulary);
    }
    byte[] out;
    try {
      out = random.nextInt(3) == 0 ? JSON.writeValueAsBytes(root) : YAML.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return random.nextInt(5) == 0 ? rawEdits(out, random) : out;
  }

  private static JsonNode edit(JsonNode root, Random random, List<String> keys) {
    List<JsonNode> containers = new ArrayList<>();
    collectContainers(root, containers);
    JsonNode container = containers.get(random.nextInt(containers.size()));
    int op = random.nextInt(7);
    if (container instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      String name =
          names.isEmpty()
              ? keys.get(random.nextInt(keys.size()))
              : names.get(random.nextInt(names.size()));
      switch (op) {
        case 0 -> object.remove(name);
        case 1 -> object.set(name, EDGE_VALUES.get(random.nextInt(EDGE_VALUES.size())));
        case 2 -> object.set(name, shape(random));
        case 3 -> {
          JsonNode value = object.remove(name);
          object.set(
              random.nextBoolean() ? keys.get(random.nextInt(keys.size())) : name + "x",
              value == null ? NODES.nullNode() : value);
        }
        case 4 ->
            object.set(
                keys.get(random.nextInt(keys.size())),
                EDGE_VALUES.get(random.nextInt(EDGE_VALUES.size())));
        case 5 -> object.set(name, containers.get(random.nextInt(containers.size())).deepCopy());
        default -> object.put(name, String.valueOf(object.path(name).asText()) + "x");
      }
    } else if (container instanceof ArrayNode array) {
      int index = array.isEmpty() ? 0 : random.nextInt(array.size());
      switch (op) {
        case 0 -> {
          if (!array.isEmpty()) {
            array.remove(index);
          }
        }
        case 1 -> array.insert(index, EDGE_VALUES.get(random.nextInt(EDGE_VALUES.size())));
        case 2 -> array.insert(index, shape(random));
        case 3, 5 -> {
          if (!array.isEmpty()) {
            array.add(array.get(index).deepCopy());
          }
        }
        default ->
            array.insert(index, containers.get(random.nextInt(containers.size())).deepCopy());
      }
    }
    return root;
  }

  /** An empty or one-element list or mapping. */
  private static JsonNode shape(Random random) {
    JsonNode value = EDGE_VALUES.get(random.nextInt(EDGE_VALUES.size()));
    return switch (random.nextInt(4)) {
      case 0 -> NODES.arrayNode();
      case 1 -> NODES.objectNode();
      case 2 -> NODES.arrayNode().add(value);
      default -> NODES.objectNode().set("k", value);
    };
  }

  /**
   * A few byte-level edits: YAML syntax (anchors, aliases, tags, tabs, quotes) at random places.
   */
  private static byte[] rawEdits(byte[] yaml, Random random) {
    String[] tokens = {
      "&a ",
      "*a",
      "!!binary ",
      "!!str ",
      "\t",
      "- ",
      ": ",
      "{",
      "}",
      "[",
      "]",
      "'",
      "\"",
      "#",
      "\n",
      "\n  ",
      "---\n",
      "? ",
      "\\u0000",
      "\uFEFF",
      "%YAML 1.2\n",
      "<<: ",
      "~",
      "|\n",
      ">\n"
    };
    StringBuilder text = new StringBuilder(new String(yaml, StandardCharsets.UTF_8));
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits && text.length() > 0; i++) {
      int at = random.nextInt(text.length());
      if (random.nextBoolean()) {
        text.insert(at, tokens[random.nextInt(tokens.length)]);
      } else {
        text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(8)));
      }
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void collectKeys(JsonNode node, Set<String> keys) {
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(keys::add);
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      collectKeys(it.next(), keys);
    }
  }

  private static void collectContainers(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        collectContainers(it.next(), out);
      }
    }
  }
}
