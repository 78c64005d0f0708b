package dev.semlb.classifier;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.semlb.classifier.cache.CaffeineDecisionCache;
import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.cost.MeasuredStage;
import dev.semlb.classifier.embedding.EmbeddingModel;
import dev.semlb.classifier.embedding.EmbeddingStage;
import dev.semlb.classifier.embedding.ExampleIndex;
import dev.semlb.classifier.embedding.ModelQueue;
import dev.semlb.classifier.embedding.RecentEmbeddings;
import dev.semlb.classifier.embedding.TextEmbedder;
import dev.semlb.classifier.head.HeadSettings;
import dev.semlb.classifier.head.HeadStage;
import dev.semlb.classifier.llm.LlmStage;
import dev.semlb.classifier.rules.RulesStage;
import dev.semlb.classifier.session.StickyClassifier;
import dev.semlb.classifier.view.BodyExtractor;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.GrpcMethod;
import dev.semlb.classifier.view.RequestView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything built from one {@link RoutingConfig} that serving needs: the body extractor, the
 * decision cache and the stage pipeline (rules, measured cost, cache, decision head, embedding,
 * LLM, default; with {@code stickiness} on, wrapped in a {@link StickyClassifier}, whose sessions
 * belong to this table and start afresh when a reload builds the next). Immutable once built
 * (example vectors are computed here), so a reload can swap a whole, warmed table atomically.
 *
 * @param config the config it was built from
 * @param extractor reads request bodies within the config's limits
 * @param classifier the stage pipeline
 * @param cache the decision cache, or {@link DecisionCache#NONE}
 */
public record Pipeline(
    RoutingConfig config, BodyExtractor extractor, Classifier classifier, DecisionCache cache) {

  /** Checks the fields. */
  public Pipeline {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(extractor, "extractor");
    Objects.requireNonNull(classifier, "classifier");
    Objects.requireNonNull(cache, "cache");
  }

  /**
   * The request view of raw request parts: the one way the ext_proc stream, the eval command and
   * the dry-run API build it, so the three can never see a request differently. A gRPC call ({@link
   * GrpcMethod}) has its first message decoded when the config's descriptor set knows the method
   * ({@link BodyExtractor#extractGrpc}).
   *
   * @param method the HTTP method
   * @param target the request target (path and query)
   * @param headers request headers by name (any case; credentials are dropped by the view)
   * @param body the body bytes received, possibly a prefix; empty for none
   * @param declaredSize the full body size if known (e.g. Content-Length), else the bytes received
   */
  public RequestView view(
      String method, String target, Map<String, String> headers, byte[] body, long declaredSize) {
    String contentType = header(headers, "content-type");
    GrpcMethod grpc = GrpcMethod.of(RequestView.mediaType(contentType), pathOf(target));
    BodyView bodyView =
        body.length == 0 && declaredSize <= 0
            ? BodyView.EMPTY
            : grpc != null
                ? extractor.extractGrpc(grpc, body, Math.max(declaredSize, body.length))
                : extractor.extract(
                    body,
                    Math.max(declaredSize, body.length),
                    contentType,
                    header(headers, "content-encoding"));
    return RequestView.of(method, target, headers, bodyView);
  }

  private static String pathOf(String target) {
    if (target == null) {
      return "/";
    }
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  private static String header(Map<String, String> headers, String name) {
    String value = headers.get(name);
    if (value != null) {
      return value;
    }
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (name.equalsIgnoreCase(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Rules and the default pool only. */
  public static Pipeline build(RoutingConfig config) {
    return build(config, ClassifierResources.NONE);
  }

  /**
   * Builds the whole pipeline; embeds every pool example (seconds for hundreds).
   *
   * @throws IllegalArgumentException if the config names another embedding model than the one
   *     {@code resources} run (a service loads its model once, at start)
   */
  public static Pipeline build(RoutingConfig config, ClassifierResources resources) {
    EmbeddingModel running = resources.embedder() == null ? null : resources.embedder().model();
    if (running != null && running != config.embedding().model()) {
      throw new IllegalArgumentException(
          "embedding.model: '"
              + config.embedding().model().id()
              + "' (expected: "
              + running.id()
              + ", the model this process loaded at start; restart it to run another)");
    }
    List<ClassifierStage> first = new ArrayList<>();
    if (!config.rules().isEmpty()) {
      first.add(new RulesStage(config.rules()));
    }
    // After the rules (a rule always wins), before the cache and the models (a cached or learned
    // guess must not keep a key that measurably costs more, or less, than it reads).
    if (config.measured().enabled()) {
      first.add(new MeasuredStage(resources.costs(), config.measured()));
    }
    List<ClassifierStage> later = new ArrayList<>();
    // The head and the example stage embed the same summary: one model call serves both.
    TextEmbedder embedder =
        resources.embedder() == null
            ? null
            : new RecentEmbeddings(resources.embedder(), 512, Duration.ofSeconds(5));
    // Admission control: a model call expected to wait longer than this is shed at once.
    ModelQueue inference = resources.inference().withMaxWait(config.embedding().maxQueueWait());
    HeadSettings head = config.head();
    if (head.enabled() && (head.model().embeddingDim() == 0 || resources.embedder() != null)) {
      later.add(new HeadStage(head, embedder, inference));
    }
    if (config.embedding().enabled() && embedder != null) {
      ExampleIndex index =
          ExampleIndex.build(
              resources.embedder(),
              config.examples(),
              config.embedding().neighbors(),
              config.embedding().maxWords());
      if (!index.isEmpty()) {
        later.add(new EmbeddingStage(embedder, index, config.embedding(), inference));
      }
    }
    if (config.llm().enabled()) {
      later.add(
          LlmStage.create(config.llm(), config.pools(), resources.llm(), resources.llmCounters()));
    }
    DecisionCache cache =
        config.cache().enabled() && !later.isEmpty()
            ? new CaffeineDecisionCache(
                config.cache().maxEntries(), config.cache().ttl(), Ticker.systemTicker())
            : DecisionCache.NONE;
    TieredClassifier tiered =
        new TieredClassifier(first, cache, later, config.defaultPool(), config.budget());
    Classifier classifier =
        config.stickiness().enabled()
            ? new StickyClassifier(tiered, config.stickiness(), Ticker.systemTicker())
            : tiered;
    return new Pipeline(
        config, new BodyExtractor(config.limits(), config.grpc()), classifier, cache);
  }
}
