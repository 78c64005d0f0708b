package dev.semlb.classifier.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.config.PoolModels;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-attempt rewrite: a body sent to a host whose model differs (fallback, retry). */
class ModelSelectionForHostTest {

  private static final ModelSelection SELECTION =
      new ModelSelection(
          new PoolModels(
              Map.of("code", "demo-code-7b", "chat", "demo-chat-8b"),
              List.of("auto"),
              PoolModels.UnknownModel.DEFAULT),
          1700000000L);

  private static Optional<String> forHost(
      ModelSelection selection, String hostModel, String body, String... headers) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i], headers[i + 1]);
    }
    return selection
        .forHost(hostModel, map, body.getBytes(StandardCharsets.UTF_8))
        .map(b -> new String(b, StandardCharsets.UTF_8));
  }

  @Test
  void forHost_anotherPoolsModel_isReplacedByTheHostsModel_everyOtherByteKept() {
    String body =
        "{ \"messages\": [{\"role\":\"user\",\"content\":\"über ```x```\"}], \"model\" : \"demo-code-7b\", \"stream\":true}";

    assertThat(forHost(SELECTION, "demo-chat-8b", body))
        .contains(body.replace("\"demo-code-7b\"", "\"demo-chat-8b\""));
  }

  @Test
  void forHost_alias_isReplacedByTheHostsModel() {
    // The downstream filter failed open (or a native route skipped it): the body still says auto.
    assertThat(forHost(SELECTION, "demo-code-7b", "{\"model\":\"auto\"}"))
        .contains("{\"model\":\"demo-code-7b\"}");
  }

  @Test
  void forHost_theHostsOwnModel_isLeftAsIs() {
    assertThat(forHost(SELECTION, "demo-code-7b", "{\"model\":\"demo-code-7b\"}")).isEmpty();
  }

  @Test
  void forHost_aModelNoPoolServes_goesOnAsTheClientWroteIt() {
    // unknownModel: default sent it to the default pool unchanged; a fallback keeps it so.
    assertThat(forHost(SELECTION, "demo-chat-8b", "{\"model\":\"gpt-9\"}")).isEmpty();
  }

  @Test
  void forHost_hostWithoutModel_orModelsOff_changesNothing() {
    assertThat(forHost(SELECTION, "", "{\"model\":\"demo-code-7b\"}")).isEmpty();
    assertThat(forHost(ModelSelection.OFF, "demo-chat-8b", "{\"model\":\"auto\"}")).isEmpty();
  }

  @Test
  void forHost_bodiesItCannotReadOrRewrite_areLeftAsIs() {
    assertThat(forHost(SELECTION, "demo-chat-8b", "")).isEmpty();
    assertThat(forHost(SELECTION, "demo-chat-8b", "not json demo-code-7b")).isEmpty();
    assertThat(forHost(SELECTION, "demo-chat-8b", "{\"model\":42}")).isEmpty();
    assertThat(forHost(SELECTION, "demo-chat-8b", "{\"model\":\"auto\",\"model\":\"auto\"}"))
        .as("two model keys")
        .isEmpty();
    assertThat(
            forHost(SELECTION, "demo-chat-8b", "{\"model\":\"auto\"}", "content-encoding", "gzip"))
        .isEmpty();
    assertThat(
            forHost(
                SELECTION, "demo-chat-8b", "{\"model\":\"auto\"}", "content-encoding", "identity"))
        .contains("{\"model\":\"demo-chat-8b\"}");
  }

  @Test
  void forHost_nestedModelKeys_areNotTheRequestsModel() {
    String body = "{\"metadata\":{\"model\":\"demo-code-7b\"},\"model\":\"demo-code-7b\"}";

    assertThat(forHost(SELECTION, "demo-chat-8b", body))
        .contains("{\"metadata\":{\"model\":\"demo-code-7b\"},\"model\":\"demo-chat-8b\"}");
  }
}
