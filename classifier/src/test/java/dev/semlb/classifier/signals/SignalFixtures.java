package dev.semlb.classifier.signals;

import dev.semlb.classifier.view.BodyExtractor;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.classifier.view.ViewLimits;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Requests of known shape for the signal tests, built as the service builds them. */
final class SignalFixtures {

  private SignalFixtures() {}

  /** A request as the service would view it. */
  static RequestView request(String method, String target, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    BodyView view =
        bytes.length == 0
            ? BodyView.EMPTY
            : new BodyExtractor(ViewLimits.DEFAULTS)
                .extract(bytes, bytes.length, contentType, null);
    return RequestView.of(
        method,
        target,
        contentType.isEmpty() ? Map.of() : Map.of("content-type", contentType),
        view);
  }

  /** One signal of a vector. */
  static double get(double[] v, Signal s) {
    return v[s.ordinal()];
  }

  /** The signals of a chat completion with an optional system prompt. */
  static double[] chat(String system, String user) {
    String messages =
        (system == null ? "" : "{\"role\":\"system\",\"content\":\"" + system + "\"},")
            + "{\"role\":\"user\",\"content\":\""
            + user
            + "\"}";
    return RequestSignals.of(
        request(
            "POST",
            "/v1/chat/completions",
            "application/json",
            "{\"model\":\"auto\",\"messages\":[" + messages + "]}"));
  }
}
