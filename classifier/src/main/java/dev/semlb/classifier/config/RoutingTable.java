package dev.semlb.classifier.config;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.semlb.classifier.Classifier;
import dev.semlb.classifier.ClassifierStage;
import dev.semlb.classifier.DecisionCache;
import dev.semlb.classifier.TieredClassifier;
import dev.semlb.classifier.cache.CaffeineDecisionCache;
import dev.semlb.classifier.embedding.EmbeddingStage;
import dev.semlb.classifier.embedding.ExampleIndex;
import dev.semlb.classifier.llm.LlmStage;
import dev.semlb.classifier.rules.RulesStage;
import dev.semlb.classifier.view.BodyExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything built from one {@link RoutingConfig} that serving needs: the body extractor,
 * the decision cache and the stage pipeline (rules, cache, embedding, LLM, default).
 * Immutable once built (example vectors are computed here), so a reload can swap a whole,
 * warmed table atomically.
 *
 * @param config the config it was built from
 * @param extractor reads request bodies within the config's limits
 * @param classifier the stage pipeline
 * @param cache the decision cache, or {@link DecisionCache#NONE}
 */
public record RoutingTable(RoutingConfig config, BodyExtractor extractor, Classifier classifier,
    DecisionCache cache) {

  /** Checks the fields. */
  public RoutingTable {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(extractor, "extractor");
    Objects.requireNonNull(classifier, "classifier");
    Objects.requireNonNull(cache, "cache");
  }

  /** Rules and the default pool only. */
  public static RoutingTable build(RoutingConfig config) {
    return build(config, ClassifierResources.NONE);
  }

  /** Builds the whole pipeline; embeds every pool example (seconds for hundreds). */
  public static RoutingTable build(RoutingConfig config, ClassifierResources resources) {
    List<ClassifierStage> first = config.rules().isEmpty() ? List.of() : List.of(new RulesStage(config.rules()));
    List<ClassifierStage> later = new ArrayList<>();
    if (config.embedding().enabled() && resources.embedder() != null) {
      ExampleIndex index = ExampleIndex.build(resources.embedder(), config.examples(),
          config.embedding().neighbors(), config.embedding().maxWords());
      if (!index.isEmpty()) {
        later.add(new EmbeddingStage(resources.embedder(), index, config.embedding(), resources.inference()));
      }
    }
    if (config.llm().enabled()) {
      later.add(LlmStage.create(config.llm(), config.pools(), resources.io(), resources.llmCounters()));
    }
    DecisionCache cache = config.cache().enabled() && !later.isEmpty()
        ? new CaffeineDecisionCache(config.cache().maxEntries(), config.cache().ttl(), Ticker.systemTicker())
        : DecisionCache.NONE;
    TieredClassifier classifier = new TieredClassifier(first, cache, later, config.defaultPool(), config.budget());
    return new RoutingTable(config, new BodyExtractor(config.limits()), classifier, cache);
  }
}
