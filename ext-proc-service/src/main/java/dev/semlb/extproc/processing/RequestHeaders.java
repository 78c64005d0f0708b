package dev.semlb.extproc.processing;

import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The request headers Envoy sent in the headers phase, with the pseudo-headers pulled out. Repeated
 * headers are joined with {@code ","}. Immutable.
 *
 * @param method {@code :method}, "GET" when absent
 * @param path {@code :path} (with query), "/" when absent
 * @param headers all headers by lower-case name, pseudo-headers included
 */
record RequestHeaders(String method, String path, Map<String, String> headers) {

  /** Reads Envoy's header map; values come in {@code raw_value} on current Envoy. */
  static RequestHeaders from(HttpHeaders httpHeaders) {
    Map<String, String> headers = new HashMap<>(httpHeaders.getHeaders().getHeadersCount() * 2);
    for (HeaderValue header : httpHeaders.getHeaders().getHeadersList()) {
      String value =
          header.getRawValue().isEmpty() ? header.getValue() : header.getRawValue().toStringUtf8();
      headers.merge(header.getKey().toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b);
    }
    return new RequestHeaders(
        headers.getOrDefault(":method", "GET"),
        headers.getOrDefault(":path", "/"),
        Collections.unmodifiableMap(headers));
  }

  String get(String name) {
    return headers.get(name);
  }

  /** The Content-Length header as a number, or -1 when absent or invalid. */
  long contentLength() {
    String raw = headers.get("content-length");
    if (raw == null) {
      return -1;
    }
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
