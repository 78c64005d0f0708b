package dev.semlb.classifier.view;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads the complete values at the start of a JSON document that was cut short, e.g. an LLM
 * request whose base64 image runs past {@link ViewLimits#maxBodyBytes()}: {@code
 * {"messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"image_url":"data:...}
 * reads as the same document without the cut image. Objects and arrays cut short keep their
 * complete members; a string or number cut in the middle is dropped, so no partial string (no
 * base64 prefix) is ever kept. The mapper's read constraints (nesting depth) apply. Stateless.
 */
final class TruncatedJson {

  private TruncatedJson() {}

  /** The document's complete values, or null when it does not start with an object or array. */
  static JsonNode read(ObjectMapper json, byte[] body, int length) {
    Deque<ContainerNode<?>> open = new ArrayDeque<>();
    ContainerNode<?> root = null;
    String field = null;
    try (JsonParser parser = json.getFactory().createParser(body, 0, length)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) {
          field = parser.currentName();
          continue;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          open.pop();
          if (open.isEmpty()) {
            return root;
          }
          continue;
        }
        JsonNode value =
            token == JsonToken.START_OBJECT
                ? JsonNodeFactory.instance.objectNode()
                : token == JsonToken.START_ARRAY
                    ? JsonNodeFactory.instance.arrayNode()
                    : json.readTree(parser);
        if (open.isEmpty()) {
          if (!(value instanceof ContainerNode<?> container)) {
            return null;
          }
          root = container;
        } else if (open.peek() instanceof ObjectNode object) {
          object.set(field, value);
        } else {
          ((ArrayNode) open.peek()).add(value);
        }
        if (value instanceof ContainerNode<?> container) {
          open.push(container);
        }
      }
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // The cut (or anything malformed): keep what was complete before it.
    }
    return root;
  }
}
