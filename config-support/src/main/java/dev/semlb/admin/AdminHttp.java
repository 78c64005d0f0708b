package dev.semlb.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.semlb.config.DaemonThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server both services share: endpoints by path, the optional bearer-token check
 * (constant-time), JSON and Prometheus-text responses, and a small fixed pool of threads kept apart
 * from the data path. Thread-safe.
 */
public final class AdminHttp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;

  private AdminHttp(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds {@code config} and serves {@code handlers} (path prefix to handler). */
  public static AdminHttp start(String name, AdminConfig config, Map<String, HttpHandler> handlers)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
    ExecutorService executor =
        Executors.newFixedThreadPool(12, DaemonThreads.named(name + "-admin-"));
    byte[] token = config.token().getBytes(StandardCharsets.UTF_8);
    handlers.forEach((path, handler) -> http.createContext(path, guard(token, handler)));
    http.setExecutor(executor);
    http.start();
    log.info(
        "{} admin API on http://{}:{} ({})",
        name,
        config.host(),
        http.getAddress().getPort(),
        token.length == 0 ? "no token, loopback only" : "bearer token required");
    return new AdminHttp(http, executor);
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static HttpHandler guard(byte[] token, HttpHandler handler) {
    return exchange -> {
      try (exchange) {
        if (token.length > 0) {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          byte[] given =
              auth != null && auth.startsWith("Bearer ")
                  ? auth.substring(7).getBytes(StandardCharsets.UTF_8)
                  : new byte[0];
          if (!MessageDigest.isEqual(given, token)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            sendJson(
                exchange,
                401,
                JSON.createObjectNode().put("error", "missing or wrong bearer token"));
            return;
          }
        }
        handler.handle(exchange);
      } catch (IOException e) {
        // The client went away, or the response could not be written.
        log.debug("admin request {} failed: {}", exchange.getRequestURI().getPath(), e.toString());
      } catch (RuntimeException e) {
        // A bug in a handler: say so (never the request's content), and answer 500 when the
        // response has not started, rather than closing the connection on the client.
        log.warn("admin request {} failed", exchange.getRequestURI().getPath(), e);
        if (exchange.getResponseCode() == -1) {
          try {
            sendJson(
                exchange,
                500,
                JSON.createObjectNode().put("error", "internal error: " + e.getClass().getName()));
          } catch (IOException ignored) {
            // Nothing more can be said to this client.
          }
        }
      }
    };
  }

  /** Sends pretty JSON with {@code status}. */
  public static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** A handler that serves Prometheus text from {@code scrape}. */
  public static HttpHandler prometheus(Supplier<String> scrape) {
    return exchange -> {
      byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    };
  }

  /** An error body: {@code {"error": message}}. */
  public static JsonNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
