package dev.semlb.classifier;

import java.util.List;

/**
 * Made-up requests for warming a just-started service before it serves (ext-proc-service sends them
 * through its own transport and pipeline): a cold JVM on a small machine takes longer than Envoy's
 * per-message timeout on its first requests, and those fail open to the default pool.
 *
 * <p>A fixed list of shapes, no user data: a bodiless read, a JSON write, a chat prompt, NDJSON,
 * GraphQL, an inference call, a form, plain text, a binary upload and a delete, so each body reader
 * and signal runs. Each round changes their words and numbers, so neither the decision cache nor
 * the embedding memo answers a later round and the model really runs. Real requests never equal
 * them, so the sure decisions they leave in the decision cache are never read.
 */
public final class WarmUpRequests {

  /**
   * One made-up request.
   *
   * @param method the HTTP method
   * @param target path and query
   * @param contentType the content type, "" for none
   * @param body the body, "" for none
   */
  public record Shape(String method, String target, String contentType, String body) {}

  private static final List<String> WORDS =
      List.of(
          "invoice",
          "satellite",
          "garden",
          "ledger",
          "violin",
          "harbor",
          "glacier",
          "lantern",
          "meadow",
          "compass",
          "orchard",
          "falcon",
          "canyon",
          "pepper",
          "quartz",
          "timber",
          "saddle",
          "beacon",
          "marble",
          "thistle",
          "cobalt",
          "willow",
          "ember",
          "puzzle");

  private WarmUpRequests() {}

  /** The shapes of round {@code round}: the same requests with other words. */
  public static List<Shape> shapes(int round) {
    String a = WORDS.get(round % WORDS.size());
    // Past one lap of the words, b and c shift, so no two rounds are the same three words.
    int lap = round / WORDS.size();
    String b = WORDS.get((round * 7 + 3 + lap) % WORDS.size());
    String c = WORDS.get((round * 11 + 5 + 2 * lap) % WORDS.size());
    int id = 1000 + round;
    return List.of(
        new Shape("GET", "/api/v1/" + a + "s/" + id + "?limit=20", "", ""),
        new Shape(
            "POST",
            "/api/v1/" + b + "s",
            "application/json",
            "{\"name\":\"" + a + "\",\"description\":\"a " + b + " near the " + c + "\"}"),
        new Shape(
            "POST",
            "/v1/chat/completions",
            "application/json",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a short story"
                + " about a "
                + a
                + ", a "
                + b
                + " and a "
                + c
                + ", then explain its ending step by step.\"}]}"),
        new Shape(
            "POST",
            "/" + c + "/_bulk",
            "application/x-ndjson",
            "{\"index\":{\"_id\":\""
                + id
                + "\"}}\n{\"title\":\""
                + a
                + "\"}\n{\"index\":{}}\n{\"title\":\""
                + b
                + "\"}\n"),
        new Shape(
            "POST",
            "/graphql",
            "application/json",
            "{\"query\":\"query { " + a + "s(first: 10) { id name " + b + " { id } } }\"}"),
        new Shape(
            "POST",
            "/v2/models/" + b + "/infer",
            "application/json",
            "{\"inputs\":[{\"name\":\""
                + c
                + "\",\"shape\":[1,3],\"datatype\":\"FP32\","
                + "\"data\":[0.1,0.2,"
                + id
                + "]}]}"),
        new Shape(
            "POST",
            "/search",
            "application/x-www-form-urlencoded",
            "q=" + a + "+" + b + "&page=" + id),
        new Shape(
            "POST",
            "/summarize",
            "text/plain",
            "The " + a + " was found beside the " + b + ". Summarize why the " + c + " matters."),
        new Shape("PUT", "/files/" + a + ".bin", "application/octet-stream", b + c + id),
        new Shape("DELETE", "/api/v1/" + c + "s/" + id, "", ""));
  }
}
