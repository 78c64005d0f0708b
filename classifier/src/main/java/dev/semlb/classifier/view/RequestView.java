package dev.semlb.classifier.view;

import dev.semlb.classifier.cost.CostKey;
import dev.semlb.wire.WireContract;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a classifier may look at for one HTTP request: method, path, query, content type,
 * selected headers and the extracted body.
 *
 * <p>Header names are lower case. Credentials ({@code authorization}, {@code cookie}, ...), HTTP/2
 * pseudo-headers and the routing header itself are never part of a view, so no stage can route on
 * them or leak them. Immutable and thread-safe.
 *
 * @param method upper-case HTTP method
 * @param path path without the query string, never empty
 * @param query raw query string without {@code ?}, possibly empty
 * @param contentType media type without parameters, lower case, possibly empty
 * @param headers selected request headers by lower-case name (names are lower-cased, and
 *     pseudo-headers and {@link #EXCLUDED_HEADERS} dropped, whichever factory is used)
 * @param body the extracted body
 * @param costKey the request's {@link CostKey} (method, path template, operation): always computed
 *     from the other fields when the view is built (a value passed in is ignored), so everyone who
 *     needs it (the ext_proc stream's header, the measured stage, the admin API) shares one
 *     computation
 */
public record RequestView(
    String method,
    String path,
    String query,
    String contentType,
    Map<String, String> headers,
    BodyView body,
    String costKey) {

  /**
   * Headers that are never copied into a view: credentials (including the API-key headers of LLM
   * and cloud APIs) and the pool header itself.
   */
  public static final Set<String> EXCLUDED_HEADERS =
      Set.of(
          "authorization",
          "proxy-authorization",
          "cookie",
          "set-cookie",
          "x-api-key",
          "api-key",
          "x-auth-token",
          "x-amz-security-token",
          "x-goog-api-key",
          WireContract.POOL_HEADER);

  /** Normalizes and checks the fields. */
  public RequestView {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    method = method.toUpperCase(Locale.ROOT);
    if (path.isEmpty()) {
      path = "/";
    }
    headers = Collections.unmodifiableMap(selected(headers));
    costKey = CostKey.of(method, path, GrpcMethod.of(contentType, path), body);
  }

  /** A view of these fields; its {@link #costKey} is computed. */
  public RequestView(
      String method,
      String path,
      String query,
      String contentType,
      Map<String, String> headers,
      BodyView body) {
    this(method, path, query, contentType, headers, body, null);
  }

  /**
   * Builds a view from raw request parts.
   *
   * @param method HTTP method
   * @param pathAndQuery the request target, e.g. {@code /api/users?id=1}
   * @param rawHeaders request headers as received (any case); excluded ones are dropped
   * @param body the extracted body
   */
  public static RequestView of(
      String method, String pathAndQuery, Map<String, String> rawHeaders, BodyView body) {
    String target = pathAndQuery == null ? "/" : pathAndQuery;
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    Objects.requireNonNull(rawHeaders, "rawHeaders");
    // The canonical constructor selects the headers; selecting here as well would copy twice.
    return new RequestView(
        method == null ? "GET" : method,
        path,
        query,
        mediaType(contentType(rawHeaders)),
        rawHeaders,
        body);
  }

  /** The Content-Type value of raw headers, whatever the name's case; null when absent. */
  private static String contentType(Map<String, String> raw) {
    String value = raw.get("content-type");
    if (value != null) {
      return value;
    }
    for (Map.Entry<String, String> e : raw.entrySet()) {
      if ("content-type".equalsIgnoreCase(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * The headers a view may hold: names lower-cased; pseudo-headers, excluded headers and null names
   * dropped; null values made empty.
   */
  private static Map<String, String> selected(Map<String, String> raw) {
    // One pass, one copy: Envoy already sends lower-case names, so most need no change.
    Map<String, String> headers = new HashMap<>(raw.size() * 2);
    raw.forEach(
        (name, value) -> {
          if (name == null) {
            return;
          }
          String key = isLowerCase(name) ? name : name.toLowerCase(Locale.ROOT);
          if (!key.startsWith(":") && !EXCLUDED_HEADERS.contains(key)) {
            headers.put(key, value == null ? "" : value);
          }
        });
    return headers;
  }

  /** Whether {@code s} needs no lower-casing: ASCII without capitals (anything else is lowered). */
  private static boolean isLowerCase(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z' || c > 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * The gRPC method this request calls ({@code application/grpc} with a {@code
   * /package.Service/Method} path), or null when it is no gRPC call.
   */
  public GrpcMethod grpc() {
    return GrpcMethod.of(contentType, path);
  }

  /** A header value by case-insensitive name, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The media type of a Content-Type value: no parameters, lower case; "" when absent. */
  public static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    String type = semi < 0 ? contentType : contentType.substring(0, semi);
    return type.trim().toLowerCase(Locale.ROOT);
  }
}
