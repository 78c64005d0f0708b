package dev.semlb.xds.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semlb.xds.pools.RateLimit;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads a rate limit from either admin API, with the checks of {@link RateLimit#of}, and renders
 * one as the {@code semlb.admin.v1.RateLimit} message both APIs answer with. Stateless.
 */
final class RateLimitInput {

  private static final Set<String> KEYS =
      Set.of(RateLimit.Per.SECOND.key(), RateLimit.Per.MINUTE.key(), "burst");

  private RateLimitInput() {}

  /**
   * {@code {"requestsPerSecond": 50, "burst": 100}} (or {@code requestsPerMinute}).
   *
   * @throws IllegalArgumentException naming the field, the value and what was expected
   */
  static RateLimit fromJson(JsonNode body) {
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "rateLimit."
                + key
                + ": unknown (expected: one of "
                + new java.util.TreeSet<>(KEYS)
                + ")");
      }
    }
    return RateLimit.of(
        integer(body, RateLimit.Per.SECOND.key()),
        integer(body, RateLimit.Per.MINUTE.key()),
        integer(body, "burst"));
  }

  /**
   * The limit a gRPC request asks for.
   *
   * @throws IllegalArgumentException naming the field, the value and what was expected
   */
  static RateLimit fromProto(dev.semlb.xds.api.v1.RateLimit message) {
    return RateLimit.of(
        message.getRateCase() == dev.semlb.xds.api.v1.RateLimit.RateCase.REQUESTS_PER_SECOND
            ? Integer.toUnsignedLong(message.getRequestsPerSecond())
            : null,
        message.getRateCase() == dev.semlb.xds.api.v1.RateLimit.RateCase.REQUESTS_PER_MINUTE
            ? Integer.toUnsignedLong(message.getRequestsPerMinute())
            : null,
        message.hasBurst() ? Integer.toUnsignedLong(message.getBurst()) : null);
  }

  /** {@code limit} as the admin message, with the retry-after its 429s carry. */
  static dev.semlb.xds.api.v1.RateLimit toProto(RateLimit limit) {
    dev.semlb.xds.api.v1.RateLimit.Builder out =
        dev.semlb.xds.api.v1.RateLimit.newBuilder()
            .setBurst(limit.burst())
            .setRetryAfterSeconds(limit.retryAfterSeconds());
    if (limit.per() == RateLimit.Per.SECOND) {
      out.setRequestsPerSecond(limit.requests());
    } else {
      out.setRequestsPerMinute(limit.requests());
    }
    return out.build();
  }

  private static Long integer(JsonNode body, String field) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
      throw new IllegalArgumentException(
          "rateLimit." + field + ": " + node + " (expected: an integer 1.." + RateLimit.MAX + ")");
    }
    return node.asLong();
  }
}
