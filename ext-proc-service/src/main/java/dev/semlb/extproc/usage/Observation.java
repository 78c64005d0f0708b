package dev.semlb.extproc.usage;

/**
 * What one observed LLM response came to. Immutable.
 *
 * @param pool the pool the route named (as sent; {@link UsageMetrics} bounds it)
 * @param model the model the response body named, or null if it named none
 * @param status the HTTP status, or 0 if no response headers were seen
 * @param usage whether the body reported token usage
 * @param promptTokens prompt (input) tokens, or -1 if not reported
 * @param completionTokens completion (output) tokens, or -1 if not reported
 * @param timeToFirstTokenNanos from the request leaving for the pool to the first body chunk that
 *     carried generated content, for streamed responses only; -1 otherwise
 * @param complete whether the response's end was seen
 * @param encoded whether the body was compressed ({@code content-encoding}), so not read
 */
public record Observation(
    String pool,
    String model,
    int status,
    boolean usage,
    long promptTokens,
    long completionTokens,
    long timeToFirstTokenNanos,
    boolean complete,
    boolean encoded) {}
