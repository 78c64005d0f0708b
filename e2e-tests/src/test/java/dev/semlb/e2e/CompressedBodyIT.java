package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.SemlbStackExtension;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compressed request bodies through the real Envoy: ext-proc-service decodes them for
 * classification only (gzip, deflate, br, zstd), so each reaches the pool its plain body reaches,
 * while the worker receives the compressed bytes unchanged. An encoding semlb cannot read is
 * classified without its body, as before.
 */
class CompressedBodyIT {

  private static final Logger log = LoggerFactory.getLogger(CompressedBodyIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/api/v2/items";
  // An Elasticsearch-style bulk body (its lines, not its path, say it is heavy) and its Brotli
  // encoding: the classifier's fixtures (classifier/src/test/resources/view/README.md).
  private static final Path FIXTURES =
      EnvoyProcess.repoRoot().resolve("classifier/src/test/resources/view");

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/compressed").build();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static JsonNode post(String contentEncoding, byte[] body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + STACK.stack().listenerPort() + PATH))
            .timeout(Duration.ofSeconds(15))
            .header("content-type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentEncoding != null) {
      b.header("content-encoding", contentEncoding);
    }
    HttpResponse<byte[]> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static byte[] compress(String coding, byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z =
        switch (coding) {
          case "gzip" -> new GZIPOutputStream(out);
          case "deflate" -> new DeflaterOutputStream(out);
          case "zstd" -> new ZstdOutputStream(out);
          default -> throw new IllegalArgumentException(coding);
        }) {
      z.write(data);
    }
    return out.toByteArray();
  }

  /**
   * Until the classifier decides bulk bodies by their lines (the embedding model and the head warm:
   * a cold first request may fail open within its budget), with bodies other than the fixture's so
   * that no decision about it is cached; then a few more.
   */
  @BeforeAll
  static void warmUp() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int warm = 0;
    for (int i = 0; warm < 5; i++) {
      String line = "{\"index\":{\"_index\":\"warm-" + i + "\"}}\n{\"n\":" + i + "}\n";
      byte[] body = line.repeat(40).getBytes(StandardCharsets.UTF_8);
      if ("high-compute".equals(post(null, body).path("pool").asText())) {
        warm++;
      } else if (System.nanoTime() > deadline) {
        throw new IllegalStateException("bulk bodies did not reach high-compute within 30s");
      }
    }
  }

  @Test
  void compressedBodies_reachThePoolOfTheirPlainBody_andAreForwardedUnchanged() throws Exception {
    byte[] plain = Files.readAllBytes(FIXTURES.resolve("bulk.ndjson"));
    Map<String, byte[]> encoded = new LinkedHashMap<>();
    encoded.put("gzip", compress("gzip", plain));
    encoded.put("deflate", compress("deflate", plain));
    encoded.put("zstd", compress("zstd", plain));
    encoded.put("br", Files.readAllBytes(FIXTURES.resolve("bulk.ndjson.br")));
    encoded.put("gzip, zstd", compress("zstd", compress("gzip", plain)));

    String plainPool = post(null, plain).path("pool").asText();
    // The same bytes under an encoding semlb does not decode: classified without the body.
    String opaquePool = post("compress", encoded.get("gzip")).path("pool").asText();
    Map<String, String> pools = new LinkedHashMap<>();
    Map<String, Long> forwarded = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : encoded.entrySet()) {
      JsonNode answer = post(e.getKey(), e.getValue());
      pools.put(e.getKey(), answer.path("pool").asText());
      forwarded.put(e.getKey(), answer.path("bodyBytes").asLong());
    }
    log.info("plain body -> {}, undecodable -> {}, compressed -> {}", plainPool, opaquePool, pools);

    assertThat(plainPool).as("the body decides this request").isNotEqualTo(opaquePool);
    assertThat(pools)
        .allSatisfy((coding, pool) -> assertThat(pool).as(coding).isEqualTo(plainPool));
    encoded.forEach(
        (coding, bytes) ->
            assertThat(forwarded.get(coding))
                .as(coding + ": the worker gets the compressed bytes")
                .isEqualTo(bytes.length));
  }
}
