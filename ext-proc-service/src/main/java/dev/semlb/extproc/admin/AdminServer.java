package dev.semlb.extproc.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.semlb.admin.AdminConfig;
import dev.semlb.admin.AdminHttp;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.cost.CostKey;
import dev.semlb.classifier.cost.CostStats;
import dev.semlb.classifier.envoyroute.NativeRule;
import dev.semlb.classifier.eval.Evaluator;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.classifier.signals.RequestSignals;
import dev.semlb.classifier.signals.Signal;
import dev.semlb.classifier.view.RequestSummary;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.extproc.routing.PipelineHolder;
import dev.semlb.extproc.usage.UsageMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The ext-proc-service admin HTTP API (JSON), on its own port, loopback by default:
 *
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format;
 *   <li>{@code GET /api/stats}: totals by pool and stage, cache figures, recent rate and latency;
 *   <li>{@code GET /api/decisions?limit=N}: recent decisions (never bodies or credentials);
 *   <li>{@code GET /api/events}: the same as server-sent events, live;
 *   <li>{@code POST /api/classify}: dry run of a request given as JSON, with the explanation;
 *   <li>{@code GET /api/config}: the routing config in use and its version;
 *   <li>{@code GET /api/llm-usage}: LLM requests, tokens and time to first token per pool and model
 *       ({@link UsageMetrics#json});
 *   <li>{@code GET /api/costs?limit=N}: measured upstream cost per request shape, busiest first,
 *       with what the measured stage decided for each.
 * </ul>
 *
 * With a token configured every request needs {@code Authorization: Bearer <token>} ({@link
 * AdminHttp}). Thread-safe.
 */
public final class AdminServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 1024 * 1024;

  private final PipelineHolder routing;
  private final DecisionLog decisions;
  private final PrometheusMeterRegistry registry;
  private final CostStats costs;
  private final Semaphore eventStreams = new Semaphore(8);
  private AdminHttp http;
  private volatile boolean closed;

  private AdminServer(
      PipelineHolder routing,
      DecisionLog decisions,
      PrometheusMeterRegistry registry,
      CostStats costs) {
    this.routing = routing;
    this.decisions = decisions;
    this.registry = registry;
    this.costs = costs;
  }

  /** Binds and starts, without LLM usage. */
  public static AdminServer start(
      AdminConfig config,
      PipelineHolder routing,
      DecisionLog decisions,
      PrometheusMeterRegistry registry,
      CostStats costs)
      throws IOException {
    return start(config, routing, decisions, registry, costs, null);
  }

  /** Binds and starts; {@code usage} (may be null) answers {@code /api/llm-usage}. */
  public static AdminServer start(
      AdminConfig config,
      PipelineHolder routing,
      DecisionLog decisions,
      PrometheusMeterRegistry registry,
      CostStats costs,
      UsageMetrics usage)
      throws IOException {
    AdminServer admin = new AdminServer(routing, decisions, registry, costs);
    Map<String, HttpHandler> handlers = new LinkedHashMap<>();
    handlers.put("/metrics", AdminHttp.prometheus(registry::scrape));
    handlers.put("/api/stats", admin::stats);
    handlers.put("/api/decisions", admin::recent);
    handlers.put("/api/events", admin::events);
    handlers.put("/api/classify", admin::classify);
    handlers.put("/api/config", admin::config);
    handlers.put("/api/costs", admin::costs);
    if (usage != null) {
      handlers.put("/api/llm-usage", exchange -> AdminHttp.sendJson(exchange, 200, usage.json()));
    }
    admin.http = AdminHttp.start("ext-proc-service", config, handlers);
    return admin;
  }

  /** The bound port. */
  public int port() {
    return http.port();
  }

  private void stats(HttpExchange exchange) throws IOException {
    AdminHttp.sendJson(exchange, 200, Stats.of(routing, decisions, registry));
  }

  private void recent(HttpExchange exchange) throws IOException {
    Integer limit = limit(exchange, 50);
    if (limit != null) {
      AdminHttp.sendJson(exchange, 200, JSON.valueToTree(decisions.recent(limit)));
    }
  }

  private void costs(HttpExchange exchange) throws IOException {
    Integer limit = limit(exchange, 100);
    if (limit != null) {
      AdminHttp.sendJson(
          exchange, 200, CostsJson.of(costs, routing.get().config().measured(), limit));
    }
  }

  /** The {@code limit} query parameter (1..1000), or null after answering 400. */
  private static Integer limit(HttpExchange exchange, int fallback) throws IOException {
    int limit = fallback;
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("limit=")) {
          try {
            limit = Integer.parseInt(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
          } catch (NumberFormatException e) {
            AdminHttp.sendJson(
                exchange,
                400,
                AdminHttp.error(
                    "limit: '" + pair.substring(6) + "' (expected: a whole number 1..1000)"));
            return null;
          }
        }
      }
    }
    if (limit < 1 || limit > 1000) {
      AdminHttp.sendJson(
          exchange, 400, AdminHttp.error("limit: " + limit + " (expected: 1..1000)"));
      return null;
    }
    return limit;
  }

  /** Server-sent events: one {@code decision} event per decision, until the client leaves. */
  private void events(HttpExchange exchange) throws IOException {
    if (!eventStreams.tryAcquire()) {
      AdminHttp.sendJson(exchange, 503, AdminHttp.error("too many event streams"));
      return;
    }
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      long seen = decisions.lastSeq();
      out.write(": semlb decisions\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (!closed) {
        for (DecisionLog.Entry e : decisions.after(seen)) {
          out.write(
              ("event: decision\ndata: " + JSON.writeValueAsString(e) + "\n\n")
                  .getBytes(StandardCharsets.UTF_8));
          seen = e.seq();
        }
        out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      eventStreams.release();
    }
  }

  /** Dry run: the request is classified by the table in use, nothing is recorded. */
  private void classify(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      AdminHttp.sendJson(
          exchange, 405, AdminHttp.error("use POST with a JSON request description"));
      return;
    }
    byte[] raw = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
    JsonNode in;
    try {
      in = raw.length > MAX_BODY ? null : JSON.readTree(raw);
    } catch (IOException e) {
      in = null;
    }
    if (in == null || !in.isObject()) {
      AdminHttp.sendJson(
          exchange,
          400,
          AdminHttp.error(
              "body: expected a JSON object {method, path, contentType, body} of at most 1 MiB"));
      return;
    }
    JsonNode bodyNode = in.path("body");
    LabelledRequest request =
        new LabelledRequest(
            "",
            in.path("method").asText("GET"),
            in.path("path").asText("/"),
            in.path("contentType").asText(""),
            bodyNode.isMissingNode() || bodyNode.isNull()
                ? ""
                : bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString());
    Pipeline table = routing.get();
    RequestView view = Evaluator.view(table, request);
    long start = System.nanoTime();
    Decision decision = table.classifier().classify(view);
    long nanos = System.nanoTime() - start;
    ObjectNode out = JSON.createObjectNode();
    out.set("decision", JSON.valueToTree(decision));
    out.put("latencyMs", nanos / 1e6);
    ObjectNode explain = out.putObject("explanation");
    String matched =
        table.config().rules().stream()
            .filter(r -> r.matches(view))
            .map(Rule::name)
            .findFirst()
            .orElse(null);
    explain.put("matchedRule", matched);
    // Whether Envoy's route table decides this request itself (it never reaches ext_proc).
    explain.put(
        "envoyRoute",
        matched == null
            ? null
            : table.config().nativeRoutes().rule(matched).map(NativeRule::routeName).orElse(null));
    explain.put("bodyKind", view.body().kind().name());
    explain.put("modelInput", RequestSummary.of(view, table.config().embedding().maxWords()));
    // The request signals the decision head reads (non-zero ones), by name.
    ObjectNode signals = explain.putObject("signals");
    double[] values = RequestSignals.of(view);
    for (Signal signal : Signal.values()) {
      if (values[signal.ordinal()] != 0) {
        signals.put(signal.label(), Math.round(values[signal.ordinal()] * 100) / 100.0);
      }
    }
    // What the data plane measured for this request's shape (the measured stage's evidence).
    String key = CostKey.of(view);
    explain.put("costKey", key);
    costs.snapshot(key).ifPresent(c -> explain.set("cost", CostsJson.key(c)));
    explain.put("configVersion", routing.version());
    AdminHttp.sendJson(exchange, 200, out);
  }

  private void config(HttpExchange exchange) throws IOException {
    AdminHttp.sendJson(exchange, 200, Stats.config(routing));
  }

  @Override
  public void close() {
    closed = true;
    http.close();
  }
}
