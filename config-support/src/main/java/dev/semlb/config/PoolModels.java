package dev.semlb.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The model each pool serves, for semlb as an LLM gateway, with the model names that mean "let
 * semlb choose" and what to do with a model nobody serves. Written in the pools file ({@code
 * pools[].model}, optional section {@code models}); read by xds-server (which validates it with the
 * rest of the file) and by ext-proc-service (which selects and rewrites models). Immutable.
 *
 * <pre>
 * models:                    # optional; takes effect once a pool names a model
 *   aliases: [auto]          # the default
 *   unknownModel: error      # error (404 model_not_found, the default) | default (the default pool)
 * pools:
 *   - name: code
 *     model: demo-code-7b    # optional; at most one pool per model
 * </pre>
 *
 * @param modelByPool the model of each pool that names one, in file order; empty when none does
 *     (then model handling is off)
 * @param aliases model names that are routed by meaning and rewritten to the chosen pool's model;
 *     none is a pool's model
 * @param unknownModel what a request for any other model gets
 */
public record PoolModels(
    Map<String, String> modelByPool, List<String> aliases, UnknownModel unknownModel) {

  /** What a model name looks like: 1-256 characters, no whitespace (as the demo workers'). */
  public static final String EXPECTED_MODEL = "a model name: 1-256 characters, no whitespace";

  // Before NONE, whose construction uses it.
  private static final Pattern MODEL = Pattern.compile("\\S{1,256}");

  /** The aliases unless configured. */
  public static final List<String> DEFAULT_ALIASES = List.of("auto");

  /** No pool names a model: model handling is off. */
  public static final PoolModels NONE =
      new PoolModels(Map.of(), DEFAULT_ALIASES, UnknownModel.ERROR);

  /** What a request naming a model that no pool serves gets. */
  public enum UnknownModel {
    /** An OpenAI-style 404 {@code model_not_found} error, from Envoy. */
    ERROR,
    /** The default pool, with the body unchanged. */
    DEFAULT;

    /** The name in the pools file. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Copies and checks every field. */
  public PoolModels {
    Objects.requireNonNull(unknownModel, "unknownModel");
    modelByPool = Collections.unmodifiableMap(new LinkedHashMap<>(modelByPool));
    aliases = List.copyOf(aliases);
    Map<String, String> poolByModel = new LinkedHashMap<>();
    modelByPool.forEach(
        (pool, model) -> {
          PoolName.check("pools." + pool + ".name", pool);
          checkModel("pools." + pool + ".model", model);
          String other = poolByModel.putIfAbsent(model, pool);
          if (other != null) {
            throw new IllegalArgumentException(
                "pools."
                    + pool
                    + ".model: '"
                    + model
                    + "' (expected: a model no other pool names; '"
                    + other
                    + "' does)");
          }
        });
    if (aliases.isEmpty()) {
      throw new IllegalArgumentException("models.aliases: [] (expected: at least one alias)");
    }
    for (String alias : aliases) {
      checkModel("models.aliases", alias);
      if (poolByModel.containsKey(alias)) {
        throw new IllegalArgumentException(
            "models.aliases: '" + alias + "' (expected: not a pool's model)");
      }
    }
    if (aliases.stream().distinct().count() != aliases.size()) {
      throw new IllegalArgumentException(
          "models.aliases: " + aliases + " (expected: each alias once)");
    }
  }

  private static void checkModel(String field, String model) {
    if (model == null || !MODEL.matcher(model).matches()) {
      throw new IllegalArgumentException(
          field + ": '" + model + "' (expected: " + EXPECTED_MODEL + ")");
    }
  }

  /** Whether any pool names a model (model handling is on). */
  public boolean enabled() {
    return !modelByPool.isEmpty();
  }

  /** The model {@code pool} serves, if it names one. */
  public Optional<String> modelOf(String pool) {
    return Optional.ofNullable(modelByPool.get(pool));
  }

  /** The pool that serves {@code model}, if one does. */
  public Optional<String> poolOf(String model) {
    for (Map.Entry<String, String> e : modelByPool.entrySet()) {
      if (e.getValue().equals(model)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** Whether {@code model} asks semlb to choose the pool. */
  public boolean isAlias(String model) {
    return aliases.contains(model);
  }

  /** Reads the models of a pools file (its other keys are left to xds-server's loader). */
  public static PoolModels load(Path poolsFile) throws ConfigException {
    return read(ConfigNode.load(poolsFile));
  }

  /**
   * Reads {@code models} and every {@code pools[].model} of a parsed pools file; errors name the
   * file, the path, the value and the expectation.
   */
  public static PoolModels read(ConfigNode root) throws ConfigException {
    List<String> aliases = DEFAULT_ALIASES;
    UnknownModel unknown = UnknownModel.ERROR;
    if (root.has("models")) {
      ConfigNode models = root.get("models").requireObject();
      models.onlyKeys("aliases", "unknownModel");
      if (models.has("aliases")) {
        aliases = new ArrayList<>();
        for (ConfigNode node : models.list("aliases")) {
          String alias = model(node);
          if (aliases.contains(alias)) {
            throw node.invalid("each alias once");
          }
          aliases.add(alias);
        }
        if (aliases.isEmpty()) {
          throw models.get("aliases").invalid("at least one alias, e.g. [auto]");
        }
      }
      if (models.has("unknownModel")) {
        ConfigNode node = models.get("unknownModel");
        unknown =
            switch (node.asText()) {
              case "error" -> UnknownModel.ERROR;
              case "default" -> UnknownModel.DEFAULT;
              default -> throw node.invalid("error or default");
            };
      }
    }
    Map<String, String> byPool = new LinkedHashMap<>();
    Map<String, String> byModel = new LinkedHashMap<>();
    for (ConfigNode pool : root.list("pools")) {
      pool.requireObject();
      if (pool.has("model")) {
        ConfigNode node = pool.get("model");
        String model = model(node);
        if (aliases.contains(model)) {
          throw node.invalid("a model that is not one of the aliases " + aliases);
        }
        String other = byModel.putIfAbsent(model, pool.text("name"));
        if (other != null) {
          throw node.invalid("a model no other pool names (pool '" + other + "' does)");
        }
        byPool.put(pool.text("name"), model);
      }
    }
    try {
      return new PoolModels(byPool, aliases, unknown);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private static String model(ConfigNode node) throws ConfigException {
    String model = node.asText();
    if (!MODEL.matcher(model).matches()) {
      throw node.invalid(EXPECTED_MODEL);
    }
    return model;
  }
}
