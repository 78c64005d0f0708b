package dev.semlb.classifier.cost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semlb.classifier.signals.PathTemplate;
import dev.semlb.classifier.view.BodyKind;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.GrpcMethod;
import dev.semlb.classifier.view.RequestView;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of a request that costs are measured for: method and path template (record ids, hashes,
 * UUIDs and dates folded, see {@link PathTemplate}), plus the operation when the body names one (a
 * GraphQL {@code operationName}, a JSON-RPC {@code method}).
 *
 * <p>{@code GET /v1/users/42} and {@code GET /v1/users/7} share the key {@code GET /v1/users/{id}};
 * a GraphQL query named {@code SearchRepos} posted to {@code /graphql} has the key {@code POST
 * /graphql #SearchRepos}. A key is printable ASCII and at most {@link #MAX_CHARS} long, so it can
 * travel in a header and be logged; it holds no query string, header or body text other than the
 * operation name. Stateless.
 */
public final class CostKey {

  /** Keys are cut to this length. */
  public static final int MAX_CHARS = 200;

  private static final int MAX_OPERATION_CHARS = 64;

  private static final Pattern COMMENT = Pattern.compile("#[^\n]*");
  private static final Pattern NAMED =
      Pattern.compile("\\b(?:query|mutation|subscription)\\s+([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern ANONYMOUS =
      Pattern.compile(
          "^\\s*(?:query|mutation|subscription)?\\s*\\{\\s*(?:[A-Za-z_]\\w*\\s*:\\s*)?([A-Za-z_]\\w*)");

  private CostKey() {}

  /**
   * The key of {@code view}: computed once, when the view was built ({@link RequestView#costKey}),
   * so the ext_proc stream's header and the measured stage share one computation.
   */
  public static String of(RequestView view) {
    return view.costKey();
  }

  /**
   * The key of a request with this upper-case method, path (no query string), gRPC method (null for
   * none) and body; what a {@link RequestView} computes for itself. A gRPC call's key is the method
   * it calls, as called.
   */
  public static String of(String method, String path, GrpcMethod grpc, BodyView body) {
    StringBuilder key = new StringBuilder(method).append(' ');
    if (grpc != null) {
      return printable(key.append('/').append(grpc.fullName()), MAX_CHARS);
    }
    key.append(PathTemplate.of(path).template());
    String operation = operation(body);
    if (operation != null) {
      key.append(" #").append(operation);
    }
    return printable(key, MAX_CHARS);
  }

  private static String operation(BodyView body) {
    JsonNode json = body.json();
    boolean graphql = body.kind() == BodyKind.GRAPHQL;
    if (graphql && (json == null || !json.isObject())) {
      return graphqlOperation(body.text());
    }
    if (json == null || !json.isObject()) {
      return null;
    }
    if (json.has("jsonrpc")) {
      JsonNode method = json.get("method");
      return method != null && method.isTextual() && !method.asText().isBlank()
          ? printable(new StringBuilder(method.asText().strip()), MAX_OPERATION_CHARS)
          : null;
    }
    // A GraphQL document in a "query" string.
    JsonNode name = json.get("operationName");
    if (name == null || !name.isTextual() || name.asText().isBlank()) {
      JsonNode query = json.get("query");
      return query != null && query.isTextual() ? graphqlOperation(query.asText()) : null;
    }
    return printable(new StringBuilder(name.asText().strip()), MAX_OPERATION_CHARS);
  }

  /** The operation named in a GraphQL document, else its first field when anonymous, else null. */
  private static String graphqlOperation(String query) {
    String text =
        COMMENT.matcher(query.length() > 8192 ? query.substring(0, 8192) : query).replaceAll("");
    Matcher m = NAMED.matcher(text);
    if (!m.find()) {
      m = ANONYMOUS.matcher(text);
      if (!m.find()) {
        return null;
      }
    }
    return printable(new StringBuilder(m.group(1)), MAX_OPERATION_CHARS);
  }

  /** Printable ASCII only (anything else becomes {@code _}), at most {@code max} chars. */
  private static String printable(CharSequence text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max));
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '_');
    }
    return out.toString();
  }
}
