package dev.semlb.classifier.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on loopback that speaks Ollama's {@code POST /api/chat} (non-streaming): it
 * records each request and answers with whatever {@code answer} returns for it, after {@code
 * delay}. Used to test the LLM stage without a model.
 */
final class FakeOllamaServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile Function<JsonNode, String> answer =
      request -> "{\"pool\":\"general\",\"confidence\":0.9}";
  private volatile Duration delay = Duration.ZERO;
  private volatile int status = 200;

  FakeOllamaServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/api/chat", this::chat);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The assistant message content to answer with, per request. */
  void answer(Function<JsonNode, String> content) {
    this.answer = content;
  }

  void delay(Duration d) {
    this.delay = d;
  }

  void status(int code) {
    this.status = code;
  }

  private void chat(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      requests.add(request);
      Thread.sleep(delay.toMillis());
      ObjectNode body = JSON.createObjectNode();
      body.put("model", request.path("model").asText());
      body.put("created_at", "2026-11-22T00:00:00Z");
      body.putObject("message").put("role", "assistant").put("content", answer.apply(request));
      body.put("done", true);
      body.put("done_reason", "stop");
      body.put("prompt_eval_count", 50);
      body.put("eval_count", 10);
      byte[] bytes =
          status == 200
              ? JSON.writeValueAsBytes(body)
              : "{\"error\":\"model not found\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("content-type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
