package dev.semlb.classifier.config;

import static dev.semlb.classifier.config.RoutingYaml.POOLS;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Routing configs the loader rejects, each with a message that names the file, path and value. */
class RejectedRoutingConfigTest {

  @Test
  void unknownPoolInRule_namesTheRuleAndThePools() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    POOLS
                        + """
        rules:
          - name: r1
            pool: fastpath
            match: { methods: [GET] }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "routing.yaml: rules[0].pool: 'fastpath' (expected: one of [fast-path, general])");
  }

  @Test
  void badRegex_saysWhereAndWhy() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    POOLS
                        + """
        rules:
          - name: r1
            pool: general
            match: { path: { regex: "([" } }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "routing.yaml: rules[0].match.path.regex: '([' (expected: a valid regular expression:");
  }

  @Test
  void misspelledKey_isRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    POOLS
                        + """
        rules:
          - name: r1
            pool: general
            match: { method: [GET] }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules[0].match.method: unknown key");
  }

  @Test
  void defaultPoolMustBeAPool() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    """
        defaultPool: other
        pools: [{ name: general }]
        """))
        .hasMessage("routing.yaml: defaultPool: 'other' (expected: one of [general])");
  }

  @Test
  void invalidPoolName_isRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    """
        defaultPool: General
        pools: [{ name: General }]
        """))
        .hasMessageContaining("pools[0].name: 'General' (expected: lower-case letters");
  }

  @Test
  void duplicatePoolAndRuleNames_areRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    """
        defaultPool: a
        pools: [{ name: a }, { name: a }]
        """))
        .hasMessageContaining("pools[1].name: 'a' (expected: a pool name not used before)");
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    POOLS
                        + """
        rules:
          - { name: r, pool: general, match: { methods: GET } }
          - { name: r, pool: general, match: { methods: PUT } }
        """))
        .hasMessageContaining("rules[1].name: 'r' (expected: a rule name not used before)");
  }

  @Test
  void emptyMatch_andAmbiguousStringTest_areRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    POOLS
                        + """
        rules: [{ name: r, pool: general, match: {} }]
        """))
        .hasMessageContaining("rules[0].match: a mapping (expected: at least one condition");
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    POOLS
                        + """
        rules: [{ name: r, pool: general, match: { json: [{ field: a, exact: x, prefix: y }] } }]
        """))
        .hasMessageContaining(
            "rules[0].match.json[0]: a mapping (expected: exactly one of exact, prefix");
  }

  @Test
  void outOfRangeNumbers_areRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    POOLS
                        + """
        limits: { maxBodyBytes: -1 }
        """))
        .hasMessage("r.yaml: limits.maxBodyBytes: -1 (expected: an integer in [0, 16777216])");
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "r.yaml",
                    POOLS
                        + """
        rules: [{ name: r, pool: general, confidence: 2, match: { methods: GET } }]
        """))
        .hasMessage("r.yaml: rules[0].confidence: 2 (expected: a number in [0, 1])");
  }

  @Test
  void invalidYaml_andEmptyDocument_areRejected() {
    assertThatThrownBy(() -> RoutingConfigLoader.parse("r.yaml", "pools: ["))
        .hasMessageStartingWith("r.yaml: not valid YAML");
    assertThatThrownBy(() -> RoutingConfigLoader.parse("r.yaml", ""))
        .hasMessage("r.yaml: empty document (expected: a mapping)");
  }

  @Test
  void regression_maxBodyBytesOf2To64_loadedAsZero() {
    // The integer wrapped around to 0, which silently turned body reading off.
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    POOLS
                        + """
        limits: { maxBodyBytes: 18446744073709551616 }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "routing.yaml: limits.maxBodyBytes: 18446744073709551616 (expected: an integer in [0, 16777216])");
  }

  @Test
  void regression_aliasLoadedAsTheAnchorName() {
    // `examples: *common` loaded as the single example "common".
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    """
        defaultPool: general
        pools:
          - name: general
            examples: &common [create one record]
          - name: fast-path
            examples: *common
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "routing.yaml: not valid YAML (alias *common at line 6 is not supported (write the value out))");
  }

  @Test
  void maxJsonDepthAboveTheLargest_isRejected() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.parse(
                    "routing.yaml",
                    POOLS
                        + """
        limits: { maxJsonDepth: 1001 }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage("routing.yaml: limits.maxJsonDepth: 1001 (expected: an integer in [1, 1000])");
  }
}
