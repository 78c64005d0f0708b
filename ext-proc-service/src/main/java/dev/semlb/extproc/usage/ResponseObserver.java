package dev.semlb.extproc.usage;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Follows one LLM request through its phases as Envoy's observing ext_proc filter reports them, and
 * turns them into an {@link Observation}: the status from the response headers, tokens and model
 * from the body ({@link UsageScanner}), and time to first token.
 *
 * <p>Time to first token is measured on this service's monotonic clock, from the arrival of the
 * request headers (Envoy sends them when the request leaves the filter chain for the pool, so after
 * classification) to the arrival of the first response body chunk that carries generated content
 * ({@link UsageScanner#content()}), and only for streamed responses ({@code text/event-stream} or
 * {@code application/x-ndjson}): a whole JSON response has its first token when it has its last.
 * Both messages travel the same gRPC stream, so the network between Envoy and this service adds to
 * neither side's share.
 *
 * <p>Not thread-safe: gRPC delivers one stream's messages one at a time.
 */
public final class ResponseObserver {

  private final String pool;
  private final UsageScanner scanner = new UsageScanner();
  private long start = -1;
  private int status;
  private boolean streamed;
  private boolean encoded;
  private long firstToken = -1;
  private boolean complete;

  /** Observes a request routed to {@code pool}. */
  public ResponseObserver(String pool) {
    this.pool = pool;
  }

  /** The request headers passed at {@code nanos}. */
  public void onRequestHeaders(long nanos) {
    if (start < 0) {
      start = nanos;
    }
  }

  /**
   * The response headers.
   *
   * @param status the {@code :status}, or 0 if unreadable
   * @param contentType the {@code content-type}, or null
   * @param contentEncoding the {@code content-encoding}, or null
   * @param endOfStream whether the response has no body
   */
  public void onResponseHeaders(
      int status, String contentType, String contentEncoding, boolean endOfStream) {
    this.status = status;
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    streamed = type.startsWith("text/event-stream") || type.startsWith("application/x-ndjson");
    encoded =
        contentEncoding != null
            && !contentEncoding.isBlank()
            && !contentEncoding.equalsIgnoreCase("identity");
    complete |= endOfStream;
  }

  /** A response body chunk that arrived at {@code nanos}; read, never kept. */
  public void onResponseBody(ByteBuffer chunk, boolean endOfStream, long nanos) {
    if (!encoded) {
      boolean before = scanner.content();
      scanner.feed(chunk);
      if (!before && scanner.content() && streamed && start >= 0) {
        firstToken = nanos - start;
      }
    }
    complete |= endOfStream;
  }

  /** The response trailers: the response has ended. */
  public void onResponseTrailers() {
    complete = true;
  }

  /** Whether the response has ended. */
  public boolean complete() {
    return complete;
  }

  /** What was observed so far (the final result once {@link #complete()}). */
  public Observation observation() {
    scanner.end();
    return new Observation(
        pool,
        scanner.model(),
        status,
        scanner.usage(),
        scanner.promptTokens(),
        scanner.completionTokens(),
        firstToken,
        complete,
        encoded);
  }
}
