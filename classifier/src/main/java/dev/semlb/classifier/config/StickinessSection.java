package dev.semlb.classifier.config;

import dev.semlb.classifier.session.StickinessSettings;
import dev.semlb.config.ConfigException;
import dev.semlb.config.ConfigNode;
import java.time.Duration;
import java.util.List;

/**
 * Reads the {@code stickiness} section of a routing config:
 *
 * <pre>
 * stickiness:
 *   enabled: true                     # default true when the section is there
 *   header: x-session-id
 *   bodyFields: [metadata.session_id] # JSON body fields tried after the header, e.g. user
 *   ttlSeconds: 1800                  # a session is forgotten this long after its last turn
 *   maxSessions: 100000
 *   switchProbability: 0.9            # a model stage moves a session only this sure
 *   maxKeyLength: 256                 # longer keys are ignored
 * </pre>
 *
 * Without the section stickiness is off. Stateless.
 */
final class StickinessSection {

  private StickinessSection() {}

  static StickinessSettings read(ConfigNode root) throws ConfigException {
    if (!root.has("stickiness")) {
      return StickinessSettings.OFF;
    }
    ConfigNode node =
        root.get("stickiness")
            .onlyKeys(
                "enabled",
                "header",
                "bodyFields",
                "ttlSeconds",
                "maxSessions",
                "switchProbability",
                "maxKeyLength");
    StickinessSettings d = StickinessSettings.OFF;
    String header = d.header();
    if (node.has("header")) {
      ConfigNode headerNode = node.get("header");
      header = headerNode.asText();
      if (!StickinessSettings.isHeaderName(header)) {
        throw headerNode.invalid("an HTTP header name of at most 100 characters");
      }
    }
    List<String> fields = d.bodyFields();
    if (node.has("bodyFields")) {
      fields = node.texts("bodyFields");
      List<ConfigNode> items =
          node.get("bodyFields").isList()
              ? node.list("bodyFields")
              : List.of(node.get("bodyFields"));
      for (ConfigNode item : items) {
        if (!StickinessSettings.isFieldPath(item.asText())) {
          throw item.invalid(StickinessSettings.FIELD_PATH);
        }
      }
    }
    try {
      return new StickinessSettings(
          node.bool("enabled", true),
          header,
          fields,
          Duration.ofSeconds(node.integer("ttlSeconds", d.ttl().toSeconds(), 1, 7 * 24 * 3600)),
          node.integer("maxSessions", d.maxSessions(), 1, 10_000_000),
          node.number("switchProbability", d.switchProbability(), 0.000_001, 1),
          (int) node.integer("maxKeyLength", d.maxKeyLength(), 1, 4096));
    } catch (IllegalArgumentException e) {
      throw node.invalid(e.getMessage());
    }
  }
}
