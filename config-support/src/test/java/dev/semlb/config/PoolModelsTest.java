package dev.semlb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PoolModelsTest {

  private static PoolModels read(String yaml) throws ConfigException {
    return PoolModels.read(ConfigNode.parse("pools.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void read_poolsWithModels_defaultsToAutoAndError() throws Exception {
    PoolModels models =
        read(
            """
            pools:
              - { name: code, model: demo-code-7b }
              - { name: chat, model: demo-chat-8b }
              - { name: other }
            """);

    assertThat(models.enabled()).isTrue();
    assertThat(models.modelByPool())
        .containsExactly(
            java.util.Map.entry("code", "demo-code-7b"),
            java.util.Map.entry("chat", "demo-chat-8b"));
    assertThat(models.aliases()).containsExactly("auto");
    assertThat(models.unknownModel()).isEqualTo(PoolModels.UnknownModel.ERROR);
    assertThat(models.poolOf("demo-chat-8b")).contains("chat");
    assertThat(models.modelOf("other")).isEmpty();
    assertThat(models.isAlias("auto")).isTrue();
  }

  @Test
  void read_noModels_isOff() throws Exception {
    assertThat(read("pools: [{ name: general }]").enabled()).isFalse();
  }

  @Test
  void read_modelsSection_setsAliasesAndPolicy() throws Exception {
    PoolModels models =
        read(
            """
            models: { aliases: [auto, semlb], unknownModel: default }
            pools: [{ name: code, model: m1 }]
            """);

    assertThat(models.aliases()).containsExactly("auto", "semlb");
    assertThat(models.unknownModel()).isEqualTo(PoolModels.UnknownModel.DEFAULT);
  }

  @Test
  void read_sameModelInTwoPools_namesBoth() {
    assertThatThrownBy(() -> read("pools: [{ name: a, model: m1 }, { name: b, model: m1 }]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pools.yaml: pools[1].model: 'm1'")
        .hasMessageContaining("pool 'a' does");
  }

  @Test
  void read_modelThatIsAnAlias_isRefused() {
    assertThatThrownBy(() -> read("pools: [{ name: a, model: auto }]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "pools[0].model: 'auto' (expected: a model that is not one of the aliases");
  }

  @Test
  void read_badValues_sayWhatWasExpected() {
    assertThatThrownBy(() -> read("pools: [{ name: a, model: 'two words' }]"))
        .hasMessageContaining("pools[0].model: 'two words' (expected: a model name");
    assertThatThrownBy(() -> read("models: { unknownModel: drop }\npools: [{ name: a }]"))
        .hasMessageContaining("models.unknownModel: 'drop' (expected: error or default)");
    assertThatThrownBy(() -> read("models: { aliases: [] }\npools: [{ name: a }]"))
        .hasMessageContaining("models.aliases");
    assertThatThrownBy(() -> read("models: { alias: [x] }\npools: [{ name: a }]"))
        .hasMessageContaining("models.alias: unknown key");
    assertThatThrownBy(() -> read("models: { aliases: [x, x] }\npools: [{ name: a }]"))
        .hasMessageContaining("models.aliases[1]: 'x' (expected: each alias once)");
  }
}
