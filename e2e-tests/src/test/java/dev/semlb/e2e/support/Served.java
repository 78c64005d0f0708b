package dev.semlb.e2e.support;

/**
 * What a client saw for one request through Envoy.
 *
 * @param status HTTP status
 * @param pool the {@code x-served-by-pool} response header, or null
 * @param worker the {@code x-served-by-worker} response header, or null
 * @param decision the {@code x-semantic-decision} header the worker received, or null
 */
public record Served(int status, String pool, String worker, String decision) {}
