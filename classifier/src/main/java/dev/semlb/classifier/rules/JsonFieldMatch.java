package dev.semlb.classifier.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A test on a field of a JSON (or form) body, addressed by a dotted path such as {@code
 * messages.0.role}; {@code *} stands for every element of an array or every value of an object. The
 * test passes when any addressed scalar value passes {@code match} (or, for {@link
 * StringMatch.Kind#PRESENT}, when any non-null value exists). Immutable.
 *
 * @param field the path as written in the config
 * @param match the test applied to the field's value
 */
public record JsonFieldMatch(String field, StringMatch match) {

  /** Checks the fields. */
  public JsonFieldMatch {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(match, "match");
    if (field.isBlank()) {
      throw new IllegalArgumentException("field: '' (expected: a dotted path)");
    }
  }

  /** Whether the body's parsed fields pass this test. */
  public boolean matches(JsonNode root) {
    if (root == null) {
      return false;
    }
    List<JsonNode> nodes = List.of(root);
    for (String segment : field.split("\\.")) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : nodes) {
        step(node, segment, next);
      }
      if (next.isEmpty()) {
        return false;
      }
      nodes = next;
    }
    for (JsonNode node : nodes) {
      if (node.isNull()) {
        continue;
      }
      if (match.kind() == StringMatch.Kind.PRESENT) {
        return true;
      }
      if (node.isValueNode() && match.matches(node.asText())) {
        return true;
      }
    }
    return false;
  }

  private static void step(JsonNode node, String segment, List<JsonNode> out) {
    if (segment.equals("*")) {
      Iterator<JsonNode> children = node.elements();
      children.forEachRemaining(out::add);
      return;
    }
    if (node.isObject() && node.has(segment)) {
      out.add(node.get(segment));
    } else if (node.isArray() && isIndex(segment)) {
      JsonNode element = node.get(Integer.parseInt(segment));
      if (element != null) {
        out.add(element);
      }
    }
  }

  private static boolean isIndex(String segment) {
    return !segment.isEmpty()
        && segment.length() < 10
        && segment.chars().allMatch(Character::isDigit);
  }
}
