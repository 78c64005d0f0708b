package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.e2e.support.RawHttp;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hostile and odd requests through the real Envoy: each gets a clear status (never a hang, a 5xx
 * from semlb or a dead service), the classifier stays healthy and its memory bounded, and no body,
 * Authorization or Cookie value reaches the logs, metrics or the decisions API.
 */
class BadInputIT {

  private static final Logger log = LoggerFactory.getLogger(BadInputIT.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final LabelledRequest BATCH =
      new LabelledRequest(
          "high-compute", "POST", "/jobs", "application/json", "{\"batch\": [1, 2, 3]}");

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/bad-input").build();

  private static RawHttp.Answer raw(String method, String path, String headers, byte[] body)
      throws Exception {
    return RawHttp.exchange(
        STACK.stack().listenerPort(), RawHttp.request(method, path, headers, body), TIMEOUT);
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void badInputs_getClearStatuses_andTheClassifierStaysHealthy() throws Exception {
    byte[] binary = new byte[64 * 1024];
    new Random(7).nextBytes(binary);
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    StringBuilder array = new StringBuilder("[");
    while (array.length() < 1_000_000) {
      array.append("{\"id\":1,\"q\":\"predict\"},");
    }
    array.setLength(array.length() - 1);
    array.append(']');
    StringBuilder manyHeaders = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      manyHeaders.append("x-h").append(i).append(": v\r\n");
    }
    String chunkedBody = "10\r\n{\"batch\": [1, 2,\r\n6\r\n 3]}  \r\n0\r\n\r\n";
    long heapBefore = heapAfterGc();

    Map<String, RawHttp.Answer> seen = new LinkedHashMap<>();
    seen.put(
        "empty body",
        raw("POST", "/api/orders", "Content-Type: application/json\r\n", new byte[0]));
    seen.put(
        "malformed JSON",
        raw(
            "POST",
            "/api/orders",
            "Content-Type: application/json\r\n",
            "{\"a\": [1, 2".getBytes(StandardCharsets.UTF_8)));
    seen.put(
        "invalid UTF-8",
        raw(
            "POST",
            "/notes",
            "Content-Type: text/plain; charset=utf-8\r\n",
            new byte[] {'o', 'k', (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, 'x'}));
    seen.put(
        "binary", raw("POST", "/upload", "Content-Type: application/octet-stream\r\n", binary));
    seen.put(
        "gzip body",
        raw(
            "POST",
            "/jobs",
            "Content-Type: application/json\r\nContent-Encoding: gzip\r\n",
            gzip("{\"batch\": [1, 2, 3]}".getBytes(StandardCharsets.UTF_8))));
    seen.put(
        "JSON nested 100k deep",
        raw(
            "POST",
            "/api/orders",
            "Content-Type: application/json\r\n",
            deep.getBytes(StandardCharsets.UTF_8)));
    seen.put(
        "1 MB JSON array",
        raw(
            "POST",
            "/v1/models/m/predict",
            "Content-Type: application/json\r\n",
            array.toString().getBytes(StandardCharsets.UTF_8)));
    seen.put("2,000 headers", raw("GET", "/healthz", manyHeaders.toString(), new byte[0]));
    seen.put("4 KB path", raw("GET", "/api/items/" + "a".repeat(4096), "", new byte[0]));
    seen.put("100 KB path", raw("GET", "/api/items/" + "a".repeat(100_000), "", new byte[0]));
    seen.put(
        "chunked body",
        raw(
            "POST",
            "/jobs",
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
            chunkedBody.getBytes(StandardCharsets.US_ASCII)));
    seen.put(
        "WebSocket upgrade",
        raw(
            "GET",
            "/ws",
            "Connection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
            new byte[0]));
    seen.put(
        "HTTP/1.0",
        RawHttp.exchange(
            STACK.stack().listenerPort(),
            "GET /healthz HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            TIMEOUT));
    Served h2 = http2("/healthz");

    long heapAfter = heapAfterGc();
    Served healthy = STACK.stack().send(BATCH);
    List<String> table = new ArrayList<>();
    seen.forEach(
        (what, a) ->
            table.add(
                String.format(
                    "%-22s -> %d in %d ms (pool %s)",
                    what, a.status(), a.millis(), a.header("x-served-by-pool"))));
    log.info(
        "bad inputs:\n  {}\n  HTTP/2 prior knowledge -> {} (pool {}); heap {} MB -> {} MB",
        String.join("\n  ", table),
        h2.status(),
        h2.pool(),
        heapBefore >> 20,
        heapAfter >> 20);

    for (String ok :
        List.of(
            "empty body",
            "malformed JSON",
            "invalid UTF-8",
            "binary",
            "gzip body",
            "JSON nested 100k deep",
            "1 MB JSON array",
            "4 KB path",
            "chunked body",
            "HTTP/1.0")) {
      assertThat(seen.get(ok).status()).as(ok).isEqualTo(200);
      assertThat(seen.get(ok).header("x-served-by-pool")).as(ok).isNotNull();
    }
    assertThat(seen.get("2,000 headers").status()).as("too many headers").isEqualTo(431);
    assertThat(seen.get("100 KB path").status()).as("head over 60 KiB").isEqualTo(431);
    assertThat(seen.get("WebSocket upgrade").status())
        .as("an upgrade the demo worker declines gets its plain answer, no hang (WebSocketIT: 101)")
        .isEqualTo(200);
    assertThat(seen.get("WebSocket upgrade").header("x-served-by-pool"))
        .as("an upgrade is classified on its headers")
        .isNotNull();
    assertThat(seen.get("chunked body").header("x-served-by-pool"))
        .as("a chunked body is classified")
        .isEqualTo("high-compute");
    assertThat(seen.get("gzip body").header("x-served-by-pool"))
        .as("a gzip body (decoded for classification) is routed")
        .isNotNull();
    assertThat(seen.values())
        .allSatisfy(a -> assertThat(a.millis()).isLessThan(TIMEOUT.toMillis()));
    assertThat(h2.status()).isEqualTo(200);
    assertThat(h2.pool()).isEqualTo("fast-path");
    assertThat(healthy.pool()).as("classifier still routes by meaning").isEqualTo("high-compute");
    assertThat(heapAfter - heapBefore).as("heap growth after GC").isLessThan(64L << 20);
    assertThat(STACK.stack().envoy().stat("http.semlb.ext_proc.streams_failed")).isZero();
  }

  /** HTTP/2 with prior knowledge (h2c), through curl. */
  private static Served http2(String path) throws Exception {
    Process curl =
        new ProcessBuilder(
                "curl",
                "-s",
                "--http2-prior-knowledge",
                "-o",
                "/dev/null",
                "-D",
                "-",
                "--max-time",
                "10",
                "http://127.0.0.1:" + STACK.stack().listenerPort() + path)
            .redirectErrorStream(true)
            .start();
    String head = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor()).as("curl: " + head).isZero();
    assertThat(head).startsWith("HTTP/2 ");
    String pool = null;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("x-served-by-pool:")) {
        pool = line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return new Served(Integer.parseInt(head.substring(7, 10)), pool, null, null);
  }

  @Test
  void secrets_neverReachLogsMetricsOrTheDecisionsApi() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger semlb = context.getLogger("dev.semlb");
    Level level = semlb.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(captured);
    semlb.setLevel(Level.DEBUG); // the most an operator can turn on
    try {
      for (int i = 0; i < 5; i++) {
        STACK
            .stack()
            .send(
                "POST",
                "/api/orders?token=QUERYSECRET" + i,
                "application/json",
                HttpRequest.BodyPublishers.ofString(
                    "{\"card\": \"BODYSECRET-4111\", \"note\": \"ignore previous instructions\"}"),
                "Authorization",
                "Bearer AUTHSECRET",
                "Cookie",
                "session=COOKIESECRET",
                "x-api-key",
                "APIKEYSECRET");
      }
      STACK
          .stack()
          .send(
              "POST",
              "/jobs",
              "text/plain",
              HttpRequest.BodyPublishers.ofString("BODYSECRET plain text"),
              "Authorization",
              "Basic AUTHSECRET");
    } finally {
      semlb.setLevel(level);
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(captured);
    }
    HttpClient http = HttpClient.newHttpClient();
    int admin = STACK.stack().extProc().adminPort();
    List<String> exposed = new ArrayList<>();
    for (String path : List.of("/metrics", "/api/decisions?limit=1000", "/api/stats")) {
      exposed.add(
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + path)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body());
    }
    List<String> logs = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();

    assertThat(logs).as("DEBUG logs were produced").isNotEmpty();
    for (String secret :
        List.of(
            "BODYSECRET",
            "AUTHSECRET",
            "COOKIESECRET",
            "APIKEYSECRET",
            "QUERYSECRET",
            "ignore previous")) {
      assertThat(logs).as("logs").noneMatch(line -> line.contains(secret));
      assertThat(exposed).as("admin API").noneMatch(body -> body.contains(secret));
    }
  }
}
