package dev.semlb.classifier.config;

import dev.semlb.classifier.cache.CacheSettings;
import dev.semlb.classifier.embedding.EmbeddingModel;
import dev.semlb.classifier.embedding.EmbeddingSettings;
import dev.semlb.classifier.head.HeadModel;
import dev.semlb.classifier.head.HeadModelFile;
import dev.semlb.classifier.head.HeadSettings;
import dev.semlb.classifier.llm.LlmSettings;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.classifier.view.GrpcSchema;
import dev.semlb.classifier.view.ViewLimits;
import dev.semlb.config.ConfigException;
import dev.semlb.config.ConfigNode;
import dev.semlb.config.PoolName;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code routing.yaml} into a validated {@link RoutingConfig}. Every problem is reported with
 * the file, the path of the value, the value and what was expected; unknown keys are errors. See
 * {@code config/routing.yaml} for the format. Stateless.
 */
public final class RoutingConfigLoader {

  private RoutingConfigLoader() {}

  /** Loads and validates a routing config file. */
  public static RoutingConfig load(Path file) throws ConfigException {
    return load(file, true);
  }

  /**
   * Loads and validates a routing config file; with {@code withHead} false its {@code head} section
   * is checked for shape but the model file is not read (to train a new one).
   */
  public static RoutingConfig load(Path file, boolean withHead) throws ConfigException {
    Path folder = file.toAbsolutePath().getParent();
    return read(ConfigNode.load(file), folder == null ? Path.of("") : folder, withHead);
  }

  /** Parses and validates routing config YAML; {@code name} appears in error messages. */
  public static RoutingConfig parse(String name, String yaml) throws ConfigException {
    return read(
        ConfigNode.parse(name, yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        Path.of(""),
        true);
  }

  private static RoutingConfig read(ConfigNode root, Path folder, boolean withHead)
      throws ConfigException {
    root.onlyKeys(
        "defaultPool",
        "pools",
        "rules",
        "limits",
        "embedding",
        "cache",
        "budgetMs",
        "llm",
        "head",
        "measured",
        "envoyRoutes",
        "stickiness",
        "grpc");
    List<PoolSpec> pools = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (ConfigNode pool : root.list("pools")) {
      pools.add(pool(pool, names));
    }
    if (pools.isEmpty()) {
      throw root.get("pools").invalid("at least one pool");
    }
    ConfigNode defaultNode = root.get("defaultPool");
    String defaultPool = defaultNode.asText();
    if (!names.contains(defaultPool)) {
      throw defaultNode.invalid("one of " + names);
    }
    GrpcSchema grpc = GrpcSection.read(root, folder);
    List<Rule> rules = new ArrayList<>();
    Set<String> ruleNames = new LinkedHashSet<>();
    for (ConfigNode rule : root.list("rules")) {
      rules.add(RuleSection.read(rule, names, ruleNames, grpc));
    }
    Duration budget =
        Duration.ofMillis(
            root.integer("budgetMs", RoutingConfig.DEFAULT_BUDGET.toMillis(), 1, 60_000));
    HeadSettings head = head(root, folder, withHead);
    EmbeddingSettings embedding = embedding(root);
    if (head.enabled()
        && head.model().embeddingDim() > 0
        && !head.model().embeddingModel().equals(embedding.model().id())) {
      throw root.get("head")
          .get("model")
          .invalid(
              "a model trained over embedding.model "
                  + embedding.model().id()
                  + " (it was trained over '"
                  + head.model().embeddingModel()
                  + "'; retrain it with the train command, or set embedding.model to that)");
    }
    if (head.enabled() && !names.containsAll(head.model().pools())) {
      throw root.get("head")
          .get("model")
          .invalid(
              "a model trained for these pools "
                  + names
                  + " (it has "
                  + head.model().pools()
                  + "; retrain it)");
    }
    return new RoutingConfig(
        defaultPool,
        pools,
        rules,
        limits(root),
        embedding,
        cache(root),
        budget,
        llm(root),
        head,
        MeasuredSection.read(root, names),
        envoyRoutes(root),
        StickinessSection.read(root),
        grpc);
  }

  private static boolean envoyRoutes(ConfigNode root) throws ConfigException {
    if (!root.has("envoyRoutes")) {
      return true;
    }
    return root.get("envoyRoutes").onlyKeys("enabled").bool("enabled", true);
  }

  private static HeadSettings head(ConfigNode root, Path folder, boolean withModel)
      throws ConfigException {
    if (!root.has("head")) {
      return HeadSettings.OFF;
    }
    ConfigNode node = root.get("head").onlyKeys("enabled", "model", "minProbability", "margin");
    node.number("minProbability", 0.0, 0, 1);
    node.number("margin", 0.0, 0, 1);
    if (!node.bool("enabled", true) || !withModel) {
      return HeadSettings.OFF;
    }
    ConfigNode modelNode = node.get("model");
    Path file = folder.resolve(modelNode.asText()).normalize();
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw modelNode.invalid(
          "a head model file (" + file + " does not exist; train one with the train command)");
    }
    HeadModel model = HeadModelFile.read(file);
    return new HeadSettings(
        file, model, node.number("minProbability", 0.0, 0, 1), node.number("margin", 0.0, 0, 1));
  }

  private static EmbeddingSettings embedding(ConfigNode root) throws ConfigException {
    EmbeddingSettings d = EmbeddingSettings.DEFAULTS;
    if (!root.has("embedding")) {
      return d;
    }
    ConfigNode node =
        root.get("embedding")
            .onlyKeys(
                "enabled",
                "threshold",
                "margin",
                "marginWithoutBody",
                "neighbors",
                "maxWords",
                "useDescriptions",
                "maxQueueWaitMs",
                "model");
    EmbeddingModel model = d.model();
    if (node.has("model")) {
      ConfigNode named = node.get("model");
      model =
          EmbeddingModel.byId(named.asText())
              .orElseThrow(() -> named.invalid("one of " + EmbeddingModel.ids()));
    }
    double margin = node.number("margin", d.margin(), 0, 1);
    return new EmbeddingSettings(
        node.bool("enabled", d.enabled()),
        node.number("threshold", d.threshold(), 0, 1),
        margin,
        node.number("marginWithoutBody", margin, 0, 1),
        (int) node.integer("neighbors", d.neighbors(), 1, 50),
        (int) node.integer("maxWords", d.maxWords(), 4, 256),
        node.bool("useDescriptions", d.useDescriptions()),
        Duration.ofMillis(node.integer("maxQueueWaitMs", d.maxQueueWait().toMillis(), 0, 60_000)),
        model);
  }

  private static CacheSettings cache(ConfigNode root) throws ConfigException {
    CacheSettings d = CacheSettings.DEFAULTS;
    if (!root.has("cache")) {
      return d;
    }
    ConfigNode node = root.get("cache").onlyKeys("enabled", "maxEntries", "ttlSeconds");
    return new CacheSettings(
        node.bool("enabled", d.enabled()),
        node.integer("maxEntries", d.maxEntries(), 1, 10_000_000),
        Duration.ofSeconds(node.integer("ttlSeconds", d.ttl().toSeconds(), 1, 7 * 24 * 3600)));
  }

  private static LlmSettings llm(ConfigNode root) throws ConfigException {
    LlmSettings d = LlmSettings.OFF;
    if (!root.has("llm")) {
      return d;
    }
    ConfigNode node =
        root.get("llm")
            .onlyKeys("baseUrl", "model", "timeoutMs", "minConfidence", "maxPromptChars");
    URI baseUrl = null;
    if (node.has("baseUrl")) {
      ConfigNode urlNode = node.get("baseUrl");
      try {
        baseUrl = new URI(urlNode.asText());
      } catch (URISyntaxException e) {
        throw urlNode.invalid("an http(s) URL");
      }
      if (baseUrl.getScheme() == null
          || !baseUrl.getScheme().matches("https?")
          || baseUrl.getHost() == null) {
        throw urlNode.invalid("an http(s) URL");
      }
    }
    return new LlmSettings(
        baseUrl,
        node.text("model", d.model()),
        Duration.ofMillis(node.integer("timeoutMs", d.timeout().toMillis(), 1, 600_000)),
        node.number("minConfidence", d.minConfidence(), 0, 1),
        (int) node.integer("maxPromptChars", d.maxPromptChars(), 100, 100_000));
  }

  private static PoolSpec pool(ConfigNode node, Set<String> names) throws ConfigException {
    node.onlyKeys("name", "description", "examples");
    ConfigNode nameNode = node.get("name");
    String name = nameNode.asText();
    if (!PoolName.isValid(name)) {
      throw nameNode.invalid(PoolName.EXPECTED);
    }
    if (!names.add(name)) {
      throw nameNode.invalid("a pool name not used before");
    }
    return new PoolSpec(name, node.text("description", ""), node.texts("examples"));
  }

  private static ViewLimits limits(ConfigNode root) throws ConfigException {
    if (!root.has("limits")) {
      return ViewLimits.DEFAULTS;
    }
    ConfigNode node = root.get("limits").onlyKeys("maxBodyBytes", "maxTextChars", "maxJsonDepth");
    ViewLimits d = ViewLimits.DEFAULTS;
    return new ViewLimits(
        (int) node.integer("maxBodyBytes", d.maxBodyBytes(), 0, 16L * 1024 * 1024),
        (int) node.integer("maxTextChars", d.maxTextChars(), 1, 1024L * 1024),
        (int) node.integer("maxJsonDepth", d.maxJsonDepth(), 1, ViewLimits.MAX_JSON_DEPTH));
  }
}
