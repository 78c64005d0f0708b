package dev.semlb.classifier.config;

import dev.semlb.classifier.cache.CacheSettings;
import dev.semlb.classifier.cost.CostClass;
import dev.semlb.classifier.cost.MeasuredSettings;
import dev.semlb.classifier.embedding.EmbeddingSettings;
import dev.semlb.classifier.head.HeadSettings;
import dev.semlb.classifier.llm.LlmSettings;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.classifier.session.StickinessSettings;
import dev.semlb.classifier.view.GrpcSchema;
import dev.semlb.classifier.view.ViewLimits;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A complete, validated routing configuration. Immutable; built by {@link RoutingConfigLoader}.
 *
 * <p>Invariants: pool names are unique; the default pool and every rule's pool are among the pools;
 * rule names are unique.
 *
 * @param defaultPool the pool used when no stage decides
 * @param pools the pools (with their examples), in config order
 * @param rules the rules, in evaluation order
 * @param limits how much of each request is read
 * @param embedding the embedding stage's settings
 * @param cache the decision cache's settings
 * @param budget total classification time per request
 * @param llm the LLM stage's settings
 * @param head the decision head's settings and model
 * @param measured the measured-cost stage's settings (every class names a pool of this config)
 * @param envoyRoutes whether xds-server compiles the rules Envoy can decide by itself into its
 *     route table ({@code envoyRoutes.enabled}, default true; see {@link
 *     dev.semlb.classifier.envoyroute.NativeRoutePlan})
 * @param stickiness conversation stickiness ({@link StickinessSettings#OFF} by default)
 * @param grpc the gRPC services whose messages are decoded ({@code grpc.descriptorSet}; {@link
 *     GrpcSchema#NONE} by default: gRPC calls are routed by service and method only)
 */
public record RoutingConfig(
    String defaultPool,
    List<PoolSpec> pools,
    List<Rule> rules,
    ViewLimits limits,
    EmbeddingSettings embedding,
    CacheSettings cache,
    Duration budget,
    LlmSettings llm,
    HeadSettings head,
    MeasuredSettings measured,
    boolean envoyRoutes,
    StickinessSettings stickiness,
    GrpcSchema grpc) {

  /** The default total time budget per request. */
  public static final Duration DEFAULT_BUDGET = Duration.ofMillis(150);

  /** Checks the invariants. */
  public RoutingConfig {
    Objects.requireNonNull(defaultPool, "defaultPool");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(llm, "llm");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(measured, "measured");
    Objects.requireNonNull(stickiness, "stickiness");
    Objects.requireNonNull(grpc, "grpc");
    pools = List.copyOf(pools);
    rules = List.copyOf(rules);
    Set<String> names = new HashSet<>();
    for (PoolSpec pool : pools) {
      if (!names.add(pool.name())) {
        throw new IllegalArgumentException(
            "pools: '" + pool.name() + "' twice (expected: unique names)");
      }
    }
    if (!names.contains(defaultPool)) {
      throw new IllegalArgumentException(
          "defaultPool: '" + defaultPool + "' (expected: one of " + names + ")");
    }
    Set<String> ruleNames = new HashSet<>();
    for (Rule rule : rules) {
      if (!names.contains(rule.pool())) {
        throw new IllegalArgumentException(
            "rule '"
                + rule.name()
                + "' pool: '"
                + rule.pool()
                + "' (expected: one of "
                + names
                + ")");
      }
      if (!ruleNames.add(rule.name())) {
        throw new IllegalArgumentException(
            "rules: '" + rule.name() + "' twice (expected: unique names)");
      }
    }
    if (head.enabled() && !names.containsAll(head.model().pools())) {
      throw new IllegalArgumentException(
          "head model "
              + head.modelFile()
              + " pools: "
              + head.model().pools()
              + " (expected: pools of this config "
              + names
              + "; retrain the head)");
    }
    for (CostClass c : measured.classes()) {
      if (!names.contains(c.pool())) {
        throw new IllegalArgumentException(
            "measured class pool: '" + c.pool() + "' (expected: one of " + names + ")");
      }
    }
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("budget: " + budget + " (expected: > 0)");
    }
  }

  /** Without gRPC message decoding. */
  public RoutingConfig(
      String defaultPool,
      List<PoolSpec> pools,
      List<Rule> rules,
      ViewLimits limits,
      EmbeddingSettings embedding,
      CacheSettings cache,
      Duration budget,
      LlmSettings llm,
      HeadSettings head,
      MeasuredSettings measured,
      boolean envoyRoutes,
      StickinessSettings stickiness) {
    this(
        defaultPool,
        pools,
        rules,
        limits,
        embedding,
        cache,
        budget,
        llm,
        head,
        measured,
        envoyRoutes,
        stickiness,
        GrpcSchema.NONE);
  }

  /** Without conversation stickiness. */
  public RoutingConfig(
      String defaultPool,
      List<PoolSpec> pools,
      List<Rule> rules,
      ViewLimits limits,
      EmbeddingSettings embedding,
      CacheSettings cache,
      Duration budget,
      LlmSettings llm,
      HeadSettings head,
      MeasuredSettings measured,
      boolean envoyRoutes) {
    this(
        defaultPool,
        pools,
        rules,
        limits,
        embedding,
        cache,
        budget,
        llm,
        head,
        measured,
        envoyRoutes,
        StickinessSettings.OFF);
  }

  /** With the rules Envoy can decide compiled into its route table. */
  public RoutingConfig(
      String defaultPool,
      List<PoolSpec> pools,
      List<Rule> rules,
      ViewLimits limits,
      EmbeddingSettings embedding,
      CacheSettings cache,
      Duration budget,
      LlmSettings llm,
      HeadSettings head,
      MeasuredSettings measured) {
    this(defaultPool, pools, rules, limits, embedding, cache, budget, llm, head, measured, true);
  }

  /** The plan of native routes for this config's rules (none when {@link #envoyRoutes} is off). */
  public dev.semlb.classifier.envoyroute.NativeRoutePlan nativeRoutes() {
    return envoyRoutes
        ? dev.semlb.classifier.envoyroute.NativeRoutePlan.of(rules)
        : dev.semlb.classifier.envoyroute.NativeRoutePlan.NONE;
  }

  /** Rules and limits only; no model stages, no cache. */
  public RoutingConfig(
      String defaultPool, List<PoolSpec> pools, List<Rule> rules, ViewLimits limits) {
    this(
        defaultPool,
        pools,
        rules,
        limits,
        EmbeddingSettings.DEFAULTS,
        CacheSettings.DEFAULTS,
        DEFAULT_BUDGET,
        LlmSettings.OFF,
        HeadSettings.OFF,
        MeasuredSettings.OFF);
  }

  /** The pool names, in config order. */
  public List<String> poolNames() {
    return pools.stream().map(PoolSpec::name).toList();
  }

  /**
   * What the embedding stage compares requests with, by pool: each pool's examples and, with {@code
   * embedding.useDescriptions}, the phrases of its description.
   */
  public Map<String, List<String>> examples() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (PoolSpec p : pools) {
      List<String> all = new java.util.ArrayList<>(p.examples());
      if (embedding.useDescriptions()) {
        all.addAll(p.descriptionPhrases());
      }
      out.put(p.name(), List.copyOf(all));
    }
    return out;
  }

  /** This config with the rules removed (to measure what meaning alone achieves). */
  public RoutingConfig withoutRules() {
    return new RoutingConfig(
        defaultPool,
        pools,
        List.of(),
        limits,
        embedding,
        cache,
        budget,
        llm,
        head,
        measured,
        envoyRoutes,
        stickiness,
        grpc);
  }

  /** This config with the given LLM settings. */
  public RoutingConfig withLlm(LlmSettings settings) {
    return new RoutingConfig(
        defaultPool,
        pools,
        rules,
        limits,
        embedding,
        cache,
        budget,
        settings,
        head,
        measured,
        envoyRoutes,
        stickiness,
        grpc);
  }

  /** This config with the given decision-head settings. */
  public RoutingConfig withHead(HeadSettings settings) {
    return new RoutingConfig(
        defaultPool,
        pools,
        rules,
        limits,
        embedding,
        cache,
        budget,
        llm,
        settings,
        measured,
        envoyRoutes,
        stickiness,
        grpc);
  }

  /** This config with the given measured-stage settings. */
  public RoutingConfig withMeasured(MeasuredSettings settings) {
    return new RoutingConfig(
        defaultPool,
        pools,
        rules,
        limits,
        embedding,
        cache,
        budget,
        llm,
        head,
        settings,
        envoyRoutes,
        stickiness,
        grpc);
  }

  /** This config with the given embedding-stage settings. */
  public RoutingConfig withEmbedding(EmbeddingSettings settings) {
    return new RoutingConfig(
        defaultPool,
        pools,
        rules,
        limits,
        settings,
        cache,
        budget,
        llm,
        head,
        measured,
        envoyRoutes,
        stickiness,
        grpc);
  }

  /** This config with the given stickiness settings. */
  public RoutingConfig withStickiness(StickinessSettings settings) {
    return new RoutingConfig(
        defaultPool,
        pools,
        rules,
        limits,
        embedding,
        cache,
        budget,
        llm,
        head,
        measured,
        envoyRoutes,
        settings,
        grpc);
  }
}
