package dev.semlb.classifier.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * What a classifier may know of a request body: its kind, the meaningful text extracted from it,
 * and for JSON or form bodies the parsed fields.
 *
 * <p>Invariant: {@code text} is never null and at most {@link ViewLimits#maxTextChars()} long;
 * {@code json} is present only for {@link BodyKind#JSON}, {@link BodyKind#PROMPT}, {@link
 * BodyKind#GRAPHQL} (when sent as JSON), {@link BodyKind#FORM} and {@link BodyKind#GRPC}. Treat the
 * tree as read-only.
 *
 * @param kind how the body was understood
 * @param text extracted text (keys and string values for JSON), possibly empty
 * @param json parsed fields, or null
 * @param sizeBytes the full body size as received, which may exceed what was read
 * @param truncated whether only a prefix of the body was read
 */
public record BodyView(
    BodyKind kind, String text, JsonNode json, long sizeBytes, boolean truncated) {

  /** A request with no body. */
  public static final BodyView EMPTY = new BodyView(BodyKind.NONE, "", null, 0, false);

  /** Checks the invariants. */
  public BodyView {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes: " + sizeBytes + " (expected: >= 0)");
    }
  }

  /** The parsed fields, when the body had any. */
  public Optional<JsonNode> fields() {
    return Optional.ofNullable(json);
  }
}
