package dev.semlb.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.llm.LlmSettings;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.classifier.view.BodyExtractor;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.config.LoaderContract;
import dev.semlb.config.PoolName;
import java.util.HashSet;
import java.util.Map;

/**
 * The loader's contract, checked on any bytes by the property tests and the fuzz test alike:
 * ({@link LoaderContract}) a file either loads into a config that can serve, or fails with a {@link
 * ConfigException} whose message starts with the file name. Any other exception or error propagates
 * and fails the caller.
 */
final class RoutingConfigChecks {

  private static final LoaderContract<RoutingConfig> CONTRACT =
      new LoaderContract<>("routing.yaml", RoutingConfigLoader::load);

  private RoutingConfigChecks() {}

  /** Writes {@code yaml} to a file, loads it and checks the outcome; null when it was rejected. */
  static RoutingConfig loadOrReject(byte[] yaml) {
    RoutingConfig config = CONTRACT.loadOrReject(yaml);
    if (config != null) {
      checkServable(config);
    }
    return config;
  }

  /** A config that loaded has sound pools and rules and builds into a table that classifies. */
  static void checkServable(RoutingConfig config) {
    assertThat(config.pools()).isNotEmpty();
    assertThat(config.poolNames())
        .doesNotHaveDuplicates()
        .allMatch(PoolName::isValid)
        .contains(config.defaultPool());
    HashSet<String> ruleNames = new HashSet<>();
    for (Rule rule : config.rules()) {
      assertThat(config.poolNames()).contains(rule.pool());
      assertThat(ruleNames.add(rule.name())).as("rule name %s is unique", rule.name()).isTrue();
      assertThat(rule.confidence()).isBetween(0.0, 1.0);
    }
    assertThat(config.budget()).isPositive();
    // Building the LLM stage only creates a client; classifying without it keeps this offline.
    Pipeline.build(config);
    Pipeline table = Pipeline.build(config.withLlm(LlmSettings.OFF));
    BodyExtractor extractor = table.extractor();
    byte[] body =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"query\":\"{ a }\"}".getBytes();
    BodyView bodyView = extractor.extract(body, body.length, "application/json", null);
    for (RequestView view :
        new RequestView[] {
          RequestView.of("GET", "/healthz", Map.of(), BodyView.EMPTY),
          RequestView.of(
              "POST",
              "/v1/chat/completions?x=1",
              Map.of("content-type", "application/json"),
              bodyView)
        }) {
      assertThat(config.poolNames()).contains(table.classifier().classify(view).pool());
    }
  }
}
