package dev.semlb.classifier.config;

import dev.semlb.classifier.Classifier;
import dev.semlb.classifier.TieredClassifier;
import dev.semlb.classifier.rules.RulesStage;
import dev.semlb.classifier.view.BodyExtractor;
import java.util.List;
import java.util.Objects;

/**
 * Everything built from one {@link RoutingConfig} that serving needs: the body extractor
 * (with the config's limits) and the classifier pipeline. Immutable, so a reload can swap a
 * whole table atomically.
 *
 * @param config the config it was built from
 * @param extractor reads request bodies within the config's limits
 * @param classifier the stage pipeline
 */
public record RoutingTable(RoutingConfig config, BodyExtractor extractor, Classifier classifier) {

  /** Checks the fields. */
  public RoutingTable {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(extractor, "extractor");
    Objects.requireNonNull(classifier, "classifier");
  }

  /** Builds the pipeline for {@code config}: rules, then the default pool. */
  public static RoutingTable build(RoutingConfig config) {
    return new RoutingTable(config, new BodyExtractor(config.limits()),
        new TieredClassifier(List.of(new RulesStage(config.rules())), config.defaultPool()));
  }
}
