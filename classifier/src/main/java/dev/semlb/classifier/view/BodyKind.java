package dev.semlb.classifier.view;

/** How a request body was understood when its text was extracted. */
public enum BodyKind {
  /** No body, or an empty one. */
  NONE,
  /** A JSON document; {@link BodyView#json()} holds the parsed tree. */
  JSON,
  /**
   * An LLM prompt in an OpenAI-compatible body ({@code messages}, {@code prompt} or {@code input});
   * the text is the prompt, last user turn first.
   */
  PROMPT,
  /** A GraphQL document, raw ({@code application/graphql}) or in a JSON {@code query} field. */
  GRAPHQL,
  /** {@code application/x-www-form-urlencoded}; fields are also exposed as a JSON object. */
  FORM,
  /** Human-readable text, including JSON that failed to parse. */
  TEXT,
  /**
   * The first message of a gRPC call, decoded with the configured descriptor set ({@link
   * GrpcSchema}); {@link BodyView#json()} holds its fields, the text their names and values.
   */
  GRPC,
  /** Binary, compressed or multipart content: it contributes no text. */
  BINARY
}
