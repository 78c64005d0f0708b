package dev.semlb.classifier.session;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Conversation stickiness ({@code stickiness} in the routing config). Immutable. The default is
 * off; with the section present it is on, header {@code x-session-id}, body field {@code
 * metadata.session_id}, 30 minutes, 100,000 sessions, switch probability 0.9, keys of at most 256
 * characters.
 *
 * @param enabled whether requests with a session key keep their session's pool
 * @param header the request header holding the session key (stored lower case)
 * @param bodyFields dotted paths of JSON body fields tried after the header, in order (e.g. {@code
 *     metadata.session_id}, {@code user}); each a string or integer
 * @param ttl a session is forgotten this long after its last turn, more than 0
 * @param maxSessions at most this many sessions are remembered (least recently used go first)
 * @param switchProbability a model stage moves a session to another pool only with at least this
 *     confidence (the head's probability), in {@code (0, 1]}
 * @param maxKeyLength a longer key is ignored (the request is routed as if it had none)
 */
public record StickinessSettings(
    boolean enabled,
    String header,
    List<String> bodyFields,
    Duration ttl,
    long maxSessions,
    double switchProbability,
    int maxKeyLength) {

  /** The default header. */
  public static final String DEFAULT_HEADER = "x-session-id";

  /** The default body fields. */
  public static final List<String> DEFAULT_BODY_FIELDS = List.of("metadata.session_id");

  /** The default time a session is kept after its last turn. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(30);

  /** The default number of sessions remembered. */
  public static final long DEFAULT_MAX_SESSIONS = 100_000;

  /** The default confidence a model stage needs to move a session. */
  public static final double DEFAULT_SWITCH_PROBABILITY = 0.9;

  /** The default longest key. */
  public static final int DEFAULT_MAX_KEY_LENGTH = 256;

  /** Stickiness off (the default). */
  public static final StickinessSettings OFF =
      new StickinessSettings(
          false,
          DEFAULT_HEADER,
          DEFAULT_BODY_FIELDS,
          DEFAULT_TTL,
          DEFAULT_MAX_SESSIONS,
          DEFAULT_SWITCH_PROBABILITY,
          DEFAULT_MAX_KEY_LENGTH);

  /** Validates the fields. */
  public StickinessSettings {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(ttl, "ttl");
    header = header.strip().toLowerCase(Locale.ROOT);
    bodyFields = List.copyOf(bodyFields);
    if (!isHeaderName(header)) {
      throw new IllegalArgumentException(
          "header: '" + header + "' (expected: an HTTP header name of at most 100 characters)");
    }
    for (String field : bodyFields) {
      if (!isFieldPath(field)) {
        throw new IllegalArgumentException(
            "bodyFields: '" + field + "' (expected: " + FIELD_PATH + ")");
      }
    }
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttlSeconds: " + ttl.toSeconds() + " (expected: > 0)");
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions: " + maxSessions + " (expected: >= 1)");
    }
    if (!(switchProbability > 0 && switchProbability <= 1)) {
      throw new IllegalArgumentException(
          "switchProbability: " + switchProbability + " (expected: 0 < p <= 1)");
    }
    if (maxKeyLength < 1 || maxKeyLength > 4096) {
      throw new IllegalArgumentException(
          "maxKeyLength: " + maxKeyLength + " (expected: 1 to 4096)");
    }
  }

  /** What a body field path must be. */
  public static final String FIELD_PATH =
      "a dotted JSON field path of at most 4 names, e.g. metadata.session_id";

  /** Whether {@code name} is a valid header name here (lower case, at most 100 characters). */
  public static boolean isHeaderName(String name) {
    return name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
  }

  /** Whether {@code path} is a valid body field path. */
  public static boolean isFieldPath(String path) {
    return path.matches("[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,3}");
  }

  /** These settings switched on or off. */
  public StickinessSettings withEnabled(boolean on) {
    return new StickinessSettings(
        on, header, bodyFields, ttl, maxSessions, switchProbability, maxKeyLength);
  }
}
