package dev.semlb.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Requests to a stack's ext-proc-service admin API (no token: the stack runs it without one). */
public final class ExtProcAdmin {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExtProcAdmin() {}

  /** {@code GET path} (with its query) on the stack's ext-proc-service admin port. */
  public static HttpResponse<String> get(SemlbStack stack, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.extProc().adminPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET path} read as JSON; fails unless the answer is 200. */
  public static JsonNode json(SemlbStack stack, String path) throws Exception {
    HttpResponse<String> r = get(stack, path);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** {@code GET /api/costs}: the measured costs (up to 1000 keys) and the measured settings. */
  public static JsonNode costs(SemlbStack stack) throws Exception {
    return json(stack, "/api/costs?limit=1000");
  }

  /** The entry of {@code key} in {@link #costs}, or a missing node when it has none. */
  public static JsonNode cost(SemlbStack stack, String key) throws Exception {
    for (JsonNode k : costs(stack).path("keys")) {
      if (k.path("key").asText().equals(key)) {
        return k;
      }
    }
    return JSON.missingNode();
  }

  /** {@code POST path} with a JSON body (e.g. {@code /api/classify}) on the admin port. */
  public static HttpResponse<String> post(SemlbStack stack, String path, String json)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.extProc().adminPort() + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
