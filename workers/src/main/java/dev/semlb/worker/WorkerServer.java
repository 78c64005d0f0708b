package dev.semlb.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.semlb.config.DaemonThreads;
import dev.semlb.config.Launcher;
import dev.semlb.wire.WireContract;
import dev.semlb.worker.llm.OpenAiApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo upstream for one pool. Every response carries {@code x-served-by-pool} and a JSON body
 * naming the pool, the worker, the method, path and body size received, and the {@code
 * x-semantic-pool} (and, when enabled, {@code x-semantic-decision}) headers Envoy forwarded. {@code
 * GET /healthz} answers 200 at once. Other requests first do the configured {@link WorkProfile}
 * work, and report its duration, without the wait for a slot, as {@code server-timing: app;dur=}.
 * With {@link WorkerConfig#llm()} set, the worker is instead a demo OpenAI-compatible model server
 * ({@link OpenAiApi}) for every path but {@code /healthz}, its generations capped by the same
 * concurrency limit; its responses carry the same {@code x-served-by-*} headers.
 *
 * <p>Thread-safe; requests run on a fixed pool of threads, and the optional concurrency cap is a
 * fair semaphore so waiting requests are served in arrival order.
 */
public final class WorkerServer implements Launcher.Running, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int THREADS = 256;

  /** How long {@link #close()} waits for requests in flight. */
  private static final long DRAIN_MILLIS = 1000;

  private final WorkerConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Semaphore permits;
  private final OpenAiApi llm;
  private final AtomicLong served = new AtomicLong();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;
  private volatile Registrar registrar;

  private WorkerServer(WorkerConfig config, HttpServer server, ExecutorService executor) {
    this.config = config;
    this.server = server;
    this.executor = executor;
    int cap = config.profile().maxConcurrency();
    this.permits = cap == 0 ? null : new Semaphore(cap, true);
    this.llm =
        config.llm() == null
            ? null
            : new OpenAiApi(
                JSON, config.llm(), config.pool(), config.id(), permits, Clock.systemUTC());
  }

  /** Binds the port and starts serving. */
  public static WorkerServer start(WorkerConfig config) throws IOException {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's
    // algorithm plus the peer's delayed ACK adds ~40 ms to many responses on kept-alive
    // connections (measured through Envoy). Read once, when the server classes load.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 1024);
    ExecutorService executor =
        Executors.newFixedThreadPool(THREADS, DaemonThreads.named("worker-http-"));
    WorkerServer worker = new WorkerServer(config, http, executor);
    http.createContext("/", worker::handle);
    http.setExecutor(executor);
    http.start();
    log.info(
        "worker {} for pool {} listening on {}:{}{}",
        config.id(),
        config.pool(),
        config.host(),
        http.getAddress().getPort(),
        config.llm() == null
            ? ""
            : String.format(
                java.util.Locale.ROOT,
                " as model %s (OpenAI API; %.1f tokens/s, first token after %d ms)",
                config.llm().model(),
                config.llm().tokensPerSecond(),
                config.llm().timeToFirstToken().toMillis()));
    Registration registration = config.registration();
    if (registration != null) {
      String address =
          registration.advertise().isEmpty()
              ? (config.host().equals("0.0.0.0") || config.host().equals("::")
                      ? "127.0.0.1"
                      : config.host())
                  + ":"
                  + worker.port()
              : registration.advertise();
      worker.registrar = Registrar.start(registration, config.pool(), address);
      log.info(
          "worker {} registers {} in pool {} with {}",
          config.id(),
          address,
          config.pool(),
          registration.xdsAdmin());
    }
    return worker;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The pool this worker serves. */
  public String pool() {
    return config.pool();
  }

  /** The worker id reported in responses. */
  public String id() {
    return config.id();
  }

  /** How many non-health requests this worker has answered. */
  public long served() {
    return served.get();
  }

  /**
   * Serves an exchange; once {@link #close()} has begun, with {@code connection: close}, so that no
   * connection is reused after the drain: Envoy's next request opens a new connection, which is
   * refused once the worker has stopped, and a refused connection is retried elsewhere whatever the
   * method. Counted while it runs, so that close can wait for it.
   */
  private void handle(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    try {
      if (closing) {
        exchange.getResponseHeaders().set("connection", "close");
      }
      serve(exchange);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (llm != null && !exchange.getRequestURI().getRawPath().equals("/healthz")) {
        exchange.getResponseHeaders().set(WireContract.SERVED_BY_POOL_HEADER, config.pool());
        exchange.getResponseHeaders().set(WireContract.SERVED_BY_WORKER_HEADER, config.id());
        served.incrementAndGet();
        llm.handle(exchange);
        return;
      }
      long bodyBytes = drain(exchange.getRequestBody());
      String path = exchange.getRequestURI().getRawPath();
      boolean health = path.equals("/healthz");
      long workNanos = 0;
      if (!health) {
        workNanos = work(requestCost(exchange));
        served.incrementAndGet();
      }
      ObjectNode body =
          JSON.createObjectNode()
              .put("pool", config.pool())
              .put("worker", config.id())
              .put("method", exchange.getRequestMethod())
              .put("path", path)
              .put("bodyBytes", bodyBytes);
      body.put("routedPool", exchange.getRequestHeaders().getFirst(WireContract.POOL_HEADER));
      body.put("decision", exchange.getRequestHeaders().getFirst(WireContract.DECISION_HEADER));
      byte[] bytes = JSON.writeValueAsBytes(body);
      exchange.getResponseHeaders().set("content-type", "application/json");
      exchange.getResponseHeaders().set(WireContract.SERVED_BY_POOL_HEADER, config.pool());
      exchange.getResponseHeaders().set(WireContract.SERVED_BY_WORKER_HEADER, config.id());
      // The time this request's own work took, without its wait for a slot (W3C Server-Timing):
      // what semlb's cost feedback reads, so queueing in a busy pool is not taken for cost.
      exchange
          .getResponseHeaders()
          .set(
              WireContract.SERVER_TIMING_HEADER,
              String.format(java.util.Locale.ROOT, "app;dur=%.1f", workNanos / 1e6));
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The request's own cost from the cost header, or -1 to use the profile's latency. */
  private long requestCost(HttpExchange exchange) {
    String header = config.profile().costHeader();
    String value = header == null ? null : exchange.getRequestHeaders().getFirst(header);
    if (value == null) {
      return -1;
    }
    try {
      return Math.max(0, Math.min(60_000, Long.parseLong(value.trim()))) * 1_000_000L;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Does the request's work (after waiting for a slot); returns how long the work took. */
  private long work(long costNanos) throws InterruptedException {
    WorkProfile profile = config.profile();
    if (permits != null) {
      permits.acquire();
    }
    long start = System.nanoTime();
    try {
      long sleepNanos = costNanos >= 0 ? costNanos : profile.latency().toNanos();
      if (!profile.jitter().isZero()) {
        sleepNanos += ThreadLocalRandom.current().nextLong(profile.jitter().toNanos() + 1);
      }
      if (sleepNanos > 0) {
        TimeUnit.NANOSECONDS.sleep(sleepNanos);
      }
      burn(profile.cpuBurn().toNanos());
      return System.nanoTime() - start;
    } finally {
      if (permits != null) {
        permits.release();
      }
    }
  }

  private static void burn(long nanos) {
    long end = System.nanoTime() + nanos;
    double x = 1;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 1000; i++) {
        x = Math.sqrt(x + i);
      }
    }
    if (x < 0) {
      log.trace("unreachable {}", x); // keeps the loop from being optimized away
    }
  }

  private static long drain(InputStream in) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
    }
    return total;
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops as a draining server does: requests in flight may finish (for up to {@link #DRAIN_MILLIS}
   * ms) and close their connections, then the socket and every connection close. A request cut
   * after its response began cannot be retried by any proxy; a refused connection can.
   */
  @Override
  public void close() {
    closing = true;
    Registrar r = registrar;
    if (r != null) {
      r.close();
    }
    long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.stop(0);
    executor.shutdownNow();
    stopped.countDown();
  }
}
