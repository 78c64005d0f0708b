package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.e2e.support.RawHttp;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.WebSocketEcho;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket upgrades through the real Envoy: ext-proc-service decides on the headers (no body
 * wait), the upgrade reaches the pool the same request reaches without it, and frames flow both
 * ways. Server-sent events stream through unbuffered.
 */
class WebSocketIT {

  private static final Logger log = LoggerFactory.getLogger(WebSocketIT.class);

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/websocket").build();

  private static final List<WebSocketEcho> ECHOES = new ArrayList<>();

  @BeforeAll
  static void echoUpstreams() throws Exception {
    StringBuilder yaml = new StringBuilder("pools:\n");
    for (String pool : SemlbStack.POOLS) {
      WebSocketEcho echo = WebSocketEcho.start(pool);
      ECHOES.add(echo);
      yaml.append("  - name: ")
          .append(pool)
          .append("\n    endpoints:\n      - 127.0.0.1:")
          .append(echo.port())
          .append('\n');
    }
    STACK.stack().overwritePools(yaml.toString());
    long deadline = System.nanoTime() + 10_000_000_000L;
    // Until xds-server has published the new endpoints: the echoes, unlike the demo workers,
    // send no x-served-by-worker.
    while (System.nanoTime() < deadline && exchange("/healthz", false).worker() != null) {
      Thread.sleep(100);
    }
    assertThat(exchange("/healthz", false).worker()).as("the echo upstreams serve").isNull();
  }

  @AfterAll
  static void stopEchoes() throws Exception {
    for (WebSocketEcho e : ECHOES) {
      e.close();
    }
  }

  record Answer(int status, String pool, String worker, long millis, String echoed) {}

  private static Answer exchange(String path, boolean upgrade) throws Exception {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", STACK.stack().listenerPort()), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: semlb.local\r\n"
              + (upgrade
                  ? "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  : "Connection: close\r\n")
              + "\r\n";
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = RawHttp.readHead(in);
      int status = head.length() > 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
      String pool = RawHttp.header(head, "x-served-by-pool");
      String worker = RawHttp.header(head, "x-served-by-worker");
      String echoed = null;
      if (status == 101) {
        out.write(WebSocketEcho.frame("hello semlb".getBytes(StandardCharsets.UTF_8), true));
        out.flush();
        byte[] payload = WebSocketEcho.readFrame(in);
        echoed = payload == null ? null : new String(payload, StandardCharsets.UTF_8);
      }
      return new Answer(status, pool, worker, (System.nanoTime() - start) / 1_000_000, echoed);
    }
  }

  @Test
  void upgrades_reachThePoolOfTheirRequest_withoutWaitingForABody_andFramesFlowBothWays()
      throws Exception {
    Map<String, Answer> upgraded = new LinkedHashMap<>();
    Map<String, Answer> plain = new LinkedHashMap<>();
    for (String path :
        List.of("/healthz/ws", "/api/v1/reports/export/stream", "/api/chat/rooms/42/socket")) {
      plain.put(path, exchange(path, false));
      upgraded.put(path, exchange(path, true));
    }
    log.info("plain {}; upgraded {}", plain, upgraded);

    upgraded.forEach(
        (path, a) -> {
          assertThat(a.status()).as(path).isEqualTo(101);
          assertThat(a.echoed()).as(path + ": the frame comes back").isEqualTo("hello semlb");
          assertThat(a.pool())
              .as(path + ": the pool of the same request")
              .isEqualTo(plain.get(path).pool());
          assertThat(a.millis())
              .as(path + ": no wait for a body (message timeout 200 ms)")
              .isLessThan(200);
        });
    assertThat(upgraded.values().stream().map(Answer::pool).distinct().count())
        .as("routed by meaning, not all to the default pool")
        .isGreaterThan(1);
    assertThat(STACK.stack().envoy().stat("http.semlb.ext_proc.message_timeouts")).isZero();
  }

  @Test
  void serverSentEvents_streamThroughUnbuffered() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", STACK.stack().listenerPort()), 2000);
      socket.setSoTimeout(10_000);
      long start = System.nanoTime();
      socket
          .getOutputStream()
          .write(
              ("GET /events HTTP/1.1\r\nHost: semlb.local\r\nAccept: text/event-stream\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String head = RawHttp.readHead(in);
      StringBuilder seen = new StringBuilder();
      long firstMs = -1;
      int b;
      while ((b = in.read()) != -1) {
        seen.append((char) b);
        if (firstMs < 0 && seen.indexOf("data: first") >= 0) {
          firstMs = (System.nanoTime() - start) / 1_000_000;
        }
        if (seen.indexOf("data: second") >= 0) {
          break;
        }
      }
      long secondMs = (System.nanoTime() - start) / 1_000_000;
      log.info("server-sent events: first after {} ms, second after {} ms", firstMs, secondMs);

      assertThat(head).startsWith("HTTP/1.1 200");
      assertThat(RawHttp.header(head, "x-served-by-pool")).isNotNull();
      assertThat(firstMs)
          .as("the first event arrives while the upstream still holds the stream")
          .isBetween(0L, WebSocketEcho.SSE_GAP_MS - 500);
      assertThat(secondMs).isGreaterThanOrEqualTo(WebSocketEcho.SSE_GAP_MS);
    }
  }
}
