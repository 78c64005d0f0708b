package dev.semlb.classifier.view;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request as the fuzz corpus writes it, close to what Envoy sends over ext_proc: header lines
 * {@code name: value} (with the {@code :method} and {@code :path} pseudo-headers), an empty line,
 * then the body bytes, e.g.
 *
 * <pre>
 * :method: POST
 * :path: /v1/chat/completions
 * content-type: application/json
 *
 * {"model":"m","messages":[{"role":"user","content":"hi"}]}
 * </pre>
 *
 * <p>Every byte string is a request: without an empty line it is all body; header lines without a
 * colon are skipped; invalid UTF-8 in the header block is replaced.
 *
 * @param method the {@code :method} value, or null
 * @param target the {@code :path} value, or null
 * @param headers the header lines in order, pseudo-headers included
 * @param body the body bytes
 */
record FuzzRequest(String method, String target, Map<String, String> headers, byte[] body) {

  static FuzzRequest parse(byte[] input) {
    int split = indexOf(input, new byte[] {'\n', '\n'});
    int crlf = indexOf(input, new byte[] {'\r', '\n', '\r', '\n'});
    int headerEnd;
    int bodyStart;
    if (crlf >= 0 && (split < 0 || crlf < split)) {
      headerEnd = crlf;
      bodyStart = crlf + 4;
    } else if (split >= 0) {
      headerEnd = split;
      bodyStart = split + 2;
    } else {
      return new FuzzRequest(null, null, Map.of(), input);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : new String(input, 0, headerEnd, StandardCharsets.UTF_8).split("\r?\n")) {
      int colon = line.indexOf(':', line.startsWith(":") ? 1 : 0);
      if (colon > 0) {
        headers.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return new FuzzRequest(
        headers.get(":method"),
        headers.get(":path"),
        headers,
        Arrays.copyOfRange(input, bodyStart, input.length));
  }

  /** The value of a header by case-insensitive name, or null. */
  String header(String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
