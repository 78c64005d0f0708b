package dev.semlb.classifier.models;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;

/**
 * The top-level {@code "model"} string of a JSON request body and where its value sits, so that it
 * can be replaced without re-serializing the body (every other byte stays as the client sent it).
 * Immutable.
 *
 * @param kind whether the body has exactly one top-level string {@code model}
 * @param value the model asked for; empty unless {@link Kind#FOUND}
 * @param start byte offset of the value's opening quote
 * @param end byte offset just after the value's closing quote
 */
public record ModelField(Kind kind, String value, int start, int end) {

  /** What the body holds. */
  public enum Kind {
    /** Not a JSON object, or no top-level string {@code model}: not a model request. */
    ABSENT,
    /** More than one top-level {@code model} key: ambiguous, refused. */
    DUPLICATE,
    /** Exactly one top-level string {@code model}. */
    FOUND
  }

  static final ModelField ABSENT = new ModelField(Kind.ABSENT, "", 0, 0);
  static final ModelField DUPLICATE = new ModelField(Kind.DUPLICATE, "", 0, 0);
  // A model key whose value is not a string: counts for duplicates, then reads as absent.
  private static final ModelField NOT_A_STRING = new ModelField(Kind.FOUND, "", -1, -1);

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
          .build();

  /**
   * Finds the top-level {@code model} of {@code body}. Reads the whole body once, without building
   * a tree (nested values are skipped); a body that is not well-formed JSON is {@link Kind#ABSENT}.
   */
  public static ModelField find(byte[] body) {
    int first = 0;
    while (first < body.length && Character.isWhitespace(body[first])) {
      first++;
    }
    if (first == body.length || body[first] != '{') {
      return ABSENT;
    }
    ModelField found = ABSENT;
    try (JsonParser parser = JSON.createParser(body)) {
      parser.nextToken(); // START_OBJECT
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        boolean model = "model".equals(parser.currentName());
        JsonToken value = parser.nextToken();
        if (model && found.kind() != Kind.ABSENT) {
          return DUPLICATE;
        }
        if (model && value == JsonToken.VALUE_STRING) {
          int start = (int) parser.currentTokenLocation().getByteOffset();
          String text = parser.getText();
          int end = (int) parser.currentLocation().getByteOffset();
          found = new ModelField(Kind.FOUND, text, start, end);
        } else if (model) {
          found = NOT_A_STRING;
        }
        parser.skipChildren();
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return ABSENT;
      }
    } catch (IOException | RuntimeException e) {
      return ABSENT;
    }
    return found == NOT_A_STRING ? ABSENT : found;
  }

  /** {@code body} with this field's value replaced by {@code model} (JSON-escaped). */
  public byte[] replace(byte[] body, String model) {
    if (kind != Kind.FOUND) {
      throw new IllegalStateException("no model field to replace (" + kind + ")");
    }
    byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(model);
    byte[] out = new byte[start + 2 + quoted.length + body.length - end];
    System.arraycopy(body, 0, out, 0, start);
    out[start] = '"';
    System.arraycopy(quoted, 0, out, start + 1, quoted.length);
    out[start + 1 + quoted.length] = '"';
    System.arraycopy(body, end, out, start + 2 + quoted.length, body.length - end);
    return out;
  }
}
