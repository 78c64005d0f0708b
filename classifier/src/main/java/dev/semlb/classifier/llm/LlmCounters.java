package dev.semlb.classifier.llm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of the LLM stage: calls made, calls that timed out, calls that failed (connection
 * refused, HTTP error) and answers rejected because they named no configured pool. One instance
 * outlives routing-config reloads, so the totals never go back, which is what a Prometheus counter
 * needs. Thread-safe (atomics).
 */
public final class LlmCounters {

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();

  /** Calls sent to the LLM server. */
  public long calls() {
    return calls.get();
  }

  /** Calls that had no answer within the stage timeout or the request's remaining budget. */
  public long timeouts() {
    return timeouts.get();
  }

  /** Calls that failed outright (server down, HTTP error, call rejected by a full executor). */
  public long errors() {
    return errors.get();
  }

  /** Answers that were not JSON naming one of the configured pools. */
  public long invalidAnswers() {
    return invalid.get();
  }

  void call() {
    calls.incrementAndGet();
  }

  void timeout() {
    timeouts.incrementAndGet();
  }

  void error() {
    errors.incrementAndGet();
  }

  void invalidAnswer() {
    invalid.incrementAndGet();
  }
}
