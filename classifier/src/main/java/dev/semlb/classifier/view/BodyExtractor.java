package dev.semlb.classifier.view;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns the first bytes of a request body into a {@link BodyView}, choosing how to read it from the
 * content type (and by sniffing when there is none).
 *
 * <p>Never throws for any input: malformed JSON falls back to text, invalid UTF-8 is replaced,
 * compressed bodies are decoded (gzip, deflate, br, zstd; {@link ContentDecoding}, bounded) and
 * read as their content type says, and binary or undecodable bodies yield no text. Only {@link
 * ViewLimits#maxBodyBytes()} bytes are ever read. Thread-safe and stateless apart from its
 * immutable limits.
 */
public final class BodyExtractor {

  // A GraphQL document starts with a definition, after what GraphQL ignores: white space, commas
  // and # comments ("#graphql", the tag some clients put first). Possessive: no backtracking.
  private static final Pattern GRAPHQL_START =
      Pattern.compile(
          "^(?:\\s|,|#[^\\n]*+)*+(\\{|query\\b|mutation\\b|subscription\\b|fragment\\b)");

  private final ViewLimits limits;
  private final GrpcSchema grpc;
  private final ObjectMapper json;

  /** Creates an extractor that reads within {@code limits} and decodes no gRPC message. */
  public BodyExtractor(ViewLimits limits) {
    this(limits, GrpcSchema.NONE);
  }

  /**
   * Creates an extractor that reads within {@code limits}, decoding the first message of gRPC calls
   * to the methods {@code grpc} knows.
   */
  public BodyExtractor(ViewLimits limits, GrpcSchema grpc) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.grpc = Objects.requireNonNull(grpc, "grpc");
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(limits.maxJsonDepth()).build())
            .build();
    this.json = new ObjectMapper(factory);
  }

  /** The limits this extractor reads within. */
  public ViewLimits limits() {
    return limits;
  }

  /**
   * Extracts a body.
   *
   * @param body the body bytes received (only the first {@code maxBodyBytes} are read)
   * @param totalSize the full body size, which may be larger than {@code body.length}
   * @param contentType the Content-Type header value, or null
   * @param contentEncoding the Content-Encoding header value, or null
   */
  public BodyView extract(byte[] body, long totalSize, String contentType, String contentEncoding) {
    if (body == null || body.length == 0) {
      return totalSize > 0
          ? new BodyView(BodyKind.BINARY, "", null, totalSize, true)
          : BodyView.EMPTY;
    }
    long size = Math.max(totalSize, body.length);
    if (ContentDecoding.isEncoded(contentEncoding)) {
      // Decoded for reading only, at most maxBodyBytes of output (ContentDecoding's invariant).
      ContentDecoding.Decoded decoded =
          limits.maxBodyBytes() == 0
              ? null
              : ContentDecoding.decode(
                  body, body.length, contentEncoding, limits.maxBodyBytes(), body.length >= size);
      if (decoded == null || decoded.bytes().length == 0) {
        return new BodyView(BodyKind.BINARY, "", null, size, body.length < size);
      }
      boolean whole = decoded.complete() && body.length >= size;
      long decodedSize = whole ? decoded.bytes().length : Math.max(size, decoded.bytes().length);
      return plain(decoded.bytes(), decoded.bytes().length, decodedSize, !whole, contentType);
    }
    int length = Math.min(body.length, limits.maxBodyBytes());
    if (length == 0) {
      return new BodyView(BodyKind.BINARY, "", null, size, length < size);
    }
    return plain(body, length, size, length < size, contentType);
  }

  /**
   * Extracts the body of a gRPC call: its first message, decoded when the schema knows the method,
   * it is uncompressed, whole and within {@code maxBodyBytes} ({@link GrpcFrame}), as {@link
   * BodyKind#GRPC} with the fields as a JSON tree and their keys and values as text. Anything else
   * (no schema, unknown method, compressed, cut or malformed frames) is {@link BodyKind#BINARY}
   * without text: the service and method decide. Never throws.
   *
   * @param call the called method
   * @param body the body bytes received (a prefix, possibly)
   * @param totalSize the full body size, which may be larger than {@code body.length}
   */
  public BodyView extractGrpc(GrpcMethod call, byte[] body, long totalSize) {
    long size = Math.max(totalSize, body == null ? 0 : body.length);
    if (size == 0) {
      return BodyView.EMPTY;
    }
    boolean cut = body == null || body.length < size;
    var method = grpc.method(call);
    if (method == null) {
      return new BodyView(BodyKind.BINARY, "", null, size, cut);
    }
    int length = Math.min(body.length, limits.maxBodyBytes());
    GrpcFrame.Read frame =
        GrpcFrame.first(body, length, Math.max(0, limits.maxBodyBytes() - GrpcFrame.PREFIX_BYTES));
    ObjectNode tree =
        frame.status() == GrpcFrame.Status.OK
            ? GrpcSchema.decode(method.getInputType(), frame.message(), limits.maxJsonDepth())
            : null;
    if (tree == null) {
      return new BodyView(BodyKind.BINARY, "", null, size, cut);
    }
    StringBuilder text = new StringBuilder();
    flatten(tree, text);
    return new BodyView(BodyKind.GRPC, clip(text.toString().strip()), tree, size, cut);
  }

  /** A body as it would read uncompressed: its first {@code length} bytes, by content type. */
  private BodyView plain(
      byte[] body, int length, long size, boolean truncated, String contentType) {
    String type = RequestView.mediaType(contentType);
    if (isJson(type)) {
      return readJson(body, length, size, truncated);
    }
    if (type.equals("application/graphql")) {
      return new BodyView(BodyKind.GRAPHQL, clip(decode(body, length)), null, size, truncated);
    }
    if (type.equals("application/x-www-form-urlencoded")) {
      return readForm(decode(body, length), size, truncated);
    }
    if (isText(type)) {
      return new BodyView(BodyKind.TEXT, clip(decode(body, length)), null, size, truncated);
    }
    if (type.isEmpty()) {
      return sniff(body, length, size, truncated);
    }
    return new BodyView(BodyKind.BINARY, "", null, size, truncated);
  }

  private BodyView readJson(byte[] body, int length, long size, boolean truncated) {
    JsonNode tree = parseJson(body, length);
    if (tree == null) {
      BodyView prompt = truncated ? cutPrompt(body, length, size) : null;
      return prompt != null
          ? prompt
          : new BodyView(BodyKind.TEXT, clip(decode(body, length)), null, size, truncated);
    }
    return fromTree(tree, size, truncated);
  }

  /**
   * An LLM request cut at the read limit (typically inside a base64 image) read from its complete
   * values ({@link TruncatedJson}), or null when those are not an LLM request: other cut JSON stays
   * text, as before.
   */
  private BodyView cutPrompt(byte[] body, int length, long size) {
    if (!PromptText.mentionsPromptKey(body, length)) {
      return null; // not an LLM request: spare the second parse (a large cut bulk body is common)
    }
    JsonNode partial = TruncatedJson.read(json, body, length);
    if (partial == null) {
      return null;
    }
    BodyView view = fromTree(partial, size, true);
    return view.kind() == BodyKind.PROMPT ? view : null;
  }

  private BodyView fromTree(JsonNode tree, long size, boolean truncated) {
    StringBuilder text = new StringBuilder();
    JsonNode query = tree.path("query");
    BodyKind kind = BodyKind.JSON;
    if (query.isTextual() && GRAPHQL_START.matcher(query.asText()).find()) {
      kind = BodyKind.GRAPHQL;
    }
    if (PromptText.read(tree, text, limits.maxTextChars())) {
      kind = BodyKind.PROMPT;
    } else {
      flatten(tree, text);
    }
    return new BodyView(kind, clip(text.toString().strip()), tree, size, truncated);
  }

  private JsonNode parseJson(byte[] body, int length) {
    try {
      JsonNode tree = json.readTree(body, 0, length);
      return tree == null || tree.isMissingNode() ? null : tree;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return null;
    }
  }

  /** Appends object keys and scalar values, depth-first, until the text limit is reached. */
  private void flatten(JsonNode node, StringBuilder out) {
    if (out.length() >= limits.maxTextChars()) {
      return;
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext() && out.length() < limits.maxTextChars()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.append(field.getKey()).append(' ');
        flatten(field.getValue(), out);
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        if (out.length() >= limits.maxTextChars()) {
          return;
        }
        flatten(element, out);
      }
    } else if (node.isTextual()) {
      out.append(node.asText()).append(' ');
    } else if (node.isNumber() || node.isBoolean()) {
      out.append(node.asText()).append(' ');
    }
  }

  private BodyView readForm(String decoded, long size, boolean truncated) {
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    StringBuilder text = new StringBuilder();
    for (String pair : decoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = urlDecode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : urlDecode(pair.substring(eq + 1));
      if (!fields.has(key)) {
        fields.put(key, value);
      }
      text.append(key).append(' ').append(value).append(' ');
    }
    return new BodyView(BodyKind.FORM, clip(text.toString().strip()), fields, size, truncated);
  }

  private BodyView sniff(byte[] body, int length, long size, boolean truncated) {
    int first = 0;
    while (first < length && Character.isWhitespace(body[first])) {
      first++;
    }
    if (first < length && (body[first] == '{' || body[first] == '[')) {
      JsonNode tree = parseJson(body, length);
      if (tree != null) {
        return fromTree(tree, size, truncated);
      }
      BodyView prompt = truncated ? cutPrompt(body, length, size) : null;
      if (prompt != null) {
        return prompt;
      }
    }
    String strict = strictUtf8(body, length);
    if (strict != null && mostlyPrintable(strict)) {
      return new BodyView(BodyKind.TEXT, clip(strict), null, size, truncated);
    }
    return new BodyView(BodyKind.BINARY, "", null, size, truncated);
  }

  private String clip(String text) {
    return text.length() <= limits.maxTextChars() ? text : text.substring(0, limits.maxTextChars());
  }

  private static String urlDecode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** Decodes UTF-8, replacing malformed input; a sequence cut at the end is dropped. */
  private static String decode(byte[] body, int length) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    CharBuffer out = CharBuffer.allocate(length);
    decoder.decode(ByteBuffer.wrap(body, 0, length), out, true);
    out.flip();
    return out.toString();
  }

  private static String strictUtf8(byte[] body, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean mostlyPrintable(String s) {
    long control =
        s.chars()
            .filter(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')
            .count();
    return control * 20 <= s.length();
  }

  private static boolean isJson(String type) {
    return type.equals("application/json") || type.endsWith("+json");
  }

  private static boolean isText(String type) {
    return type.startsWith("text/")
        || type.equals("application/xml")
        || type.endsWith("+xml")
        || type.equals("application/x-ndjson")
        || type.equals("application/yaml")
        || type.equals("application/javascript");
  }
}
