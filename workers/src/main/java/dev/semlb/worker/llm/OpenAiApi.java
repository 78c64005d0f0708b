package dev.semlb.worker.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.semlb.wire.WireContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo OpenAI-compatible model server on a worker: {@code POST /v1/chat/completions}, {@code POST
 * /v1/completions}, {@code GET /v1/models} (and {@code /v1/models/<id>}). Replies are deterministic
 * text whose every word is one token, generated at the {@link LlmProfile}'s time to first token and
 * token rate; with {@code "stream": true} as server-sent events, each chunk written and flushed
 * when its token is due (never buffered), ending with a {@code usage} chunk when {@code
 * stream_options.include_usage} is set, and {@code data: [DONE]}. Every response names the model in
 * its body and in {@code x-served-by-model}, and a completion the model it was asked for in {@code
 * x-requested-model} (whatever it was: the demo server serves any); the caller adds the pool and
 * worker headers. A bad request gets 400 with an OpenAI-style error body.
 *
 * <p>Thread-safe: requests share only immutable state, an id counter and the optional slot
 * semaphore, which a generation holds from its start to its last token.
 */
public final class OpenAiApi {

  // The request's model, echoed when it is safe as a header value.
  private static final java.util.regex.Pattern ECHOABLE =
      java.util.regex.Pattern.compile("[!-~]{1,256}");

  private static final Logger log = LoggerFactory.getLogger(OpenAiApi.class);
  private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final ObjectMapper json;
  private final LlmProfile profile;
  private final String workerId;
  private final Semaphore slots;
  private final Clock clock;
  private final Replies replies;
  private final AtomicLong ids = new AtomicLong();

  /**
   * A server for {@code profile} in {@code pool}; {@code slots} caps generations at once (null for
   * no cap); {@code clock} gives the {@code created} timestamps.
   */
  public OpenAiApi(
      ObjectMapper json,
      LlmProfile profile,
      String pool,
      String workerId,
      Semaphore slots,
      Clock clock) {
    this.json = Objects.requireNonNull(json, "json");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.workerId = Objects.requireNonNull(workerId, "workerId");
    this.slots = slots;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.replies = new Replies(json, profile.model(), Objects.requireNonNull(pool, "pool"));
  }

  /**
   * Answers one request (any path: unknown ones get 404). The caller has set its own headers and
   * closes the exchange.
   */
  public void handle(HttpExchange exchange) throws IOException, InterruptedException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    byte[] body = readBody(exchange.getRequestBody());
    exchange.getResponseHeaders().set(WireContract.SERVED_BY_MODEL_HEADER, profile.model());
    boolean chat = path.equals("/v1/chat/completions");
    if (chat || path.equals("/v1/completions")) {
      if (!method.equals("POST")) {
        notAllowed(exchange, method, path);
      } else if (body == null) {
        error(exchange, 413, "The request body is over 8 MiB.", "invalid_request_error", null);
      } else {
        complete(exchange, body, chat);
      }
    } else if (path.equals("/v1/models") || path.startsWith("/v1/models/")) {
      String id = path.length() > "/v1/models/".length() ? path.substring(11) : null;
      if (!method.equals("GET")) {
        notAllowed(exchange, method, path);
      } else if (id == null) {
        send(exchange, 200, replies.models(created()));
      } else if (id.equals(profile.model())) {
        send(exchange, 200, replies.models(created()).path("data").path(0).deepCopy());
      } else {
        error(
            exchange,
            404,
            "The model '" + id + "' does not exist.",
            "invalid_request_error",
            "model_not_found");
      }
    } else {
      error(
          exchange,
          404,
          "Unknown request URL: " + method + " " + path + ".",
          "invalid_request_error",
          "unknown_url");
    }
  }

  private void complete(HttpExchange exchange, byte[] body, boolean chat)
      throws IOException, InterruptedException {
    CompletionRequest request;
    try {
      request = CompletionRequest.parse(json, body, chat);
    } catch (CompletionRequest.Invalid e) {
      ObjectNode error = replies.error(e.getMessage(), "invalid_request_error", e.param, null);
      send(exchange, 400, error);
      return;
    }
    if (ECHOABLE.matcher(request.model()).matches()) {
      exchange.getResponseHeaders().set(WireContract.REQUESTED_MODEL_HEADER, request.model());
    }
    int tokens =
        request.maxTokens() > 0
            ? Math.min(request.maxTokens(), profile.replyTokens())
            : profile.replyTokens();
    String finishReason = tokens < profile.replyTokens() ? "length" : "stop";
    String id = (chat ? "chatcmpl-" : "cmpl-") + workerId + "-" + ids.incrementAndGet();
    long created = created();
    if (slots != null) {
      slots.acquire();
    }
    try {
      long start = System.nanoTime();
      if (request.stream()) {
        stream(exchange, request, id, created, tokens, finishReason, start);
      } else {
        sleepUntil(start + profile.dueNanos(tokens - 1));
        exchange
            .getResponseHeaders()
            .set(
                "server-timing",
                String.format(Locale.ROOT, "app;dur=%.1f", (System.nanoTime() - start) / 1e6));
        send(exchange, 200, replies.whole(request, id, created, tokens, finishReason));
      }
      log.debug(
          "{} {}: {} prompt, {} completion tokens{}",
          id,
          exchange.getRequestURI().getRawPath(),
          request.promptTokens(),
          tokens,
          request.stream() ? " (streamed)" : "");
    } finally {
      if (slots != null) {
        slots.release();
      }
    }
  }

  private void stream(
      HttpExchange exchange,
      CompletionRequest request,
      String id,
      long created,
      int tokens,
      String finishReason,
      long start)
      throws IOException, InterruptedException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("content-type", "text/event-stream; charset=utf-8");
    headers.set("cache-control", "no-cache");
    headers.set("x-accel-buffering", "no");
    exchange.sendResponseHeaders(200, 0); // chunked: each flush below goes out as it is written
    OutputStream out = exchange.getResponseBody();
    try {
      for (int i = 0; i < tokens; i++) {
        sleepUntil(start + profile.dueNanos(i));
        event(out, replies.chunk(request, id, created, i == 0, replies.token(i), null));
      }
      event(out, replies.chunk(request, id, created, false, null, finishReason));
      if (request.includeUsage()) {
        event(out, replies.usageChunk(request, id, created, tokens));
      }
      out.write(DONE);
      out.flush();
      out.close();
    } catch (IOException e) {
      // The client went away mid-stream: normal for a stream, nothing more to do.
      log.debug("{}: client closed the stream: {}", id, e.toString());
    }
  }

  private void event(OutputStream out, ObjectNode data) throws IOException {
    byte[] bytes = json.writeValueAsBytes(data);
    byte[] event = new byte[bytes.length + 8];
    System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, event, 0, 6);
    System.arraycopy(bytes, 0, event, 6, bytes.length);
    event[event.length - 2] = '\n';
    event[event.length - 1] = '\n';
    out.write(event);
    out.flush();
  }

  private long created() {
    return clock.instant().getEpochSecond();
  }

  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long wait = deadlineNanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private void notAllowed(HttpExchange exchange, String method, String path) throws IOException {
    error(
        exchange,
        405,
        "Method " + method + " is not allowed on " + path + ".",
        "invalid_request_error",
        "method_not_allowed");
  }

  private void error(HttpExchange exchange, int status, String message, String type, String code)
      throws IOException {
    send(exchange, status, replies.error(message, type, null, code));
  }

  private void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The whole body, or null when it is over the limit (the rest is drained). */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length <= MAX_BODY_BYTES) {
      return body;
    }
    in.transferTo(OutputStream.nullOutputStream());
    return null;
  }
}
