package dev.semlb.classifier.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Stage;
import dev.semlb.config.PoolModels;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSelectionTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ModelSelection selection(PoolModels.UnknownModel unknown) {
    Map<String, String> byPool = new LinkedHashMap<>();
    byPool.put("code", "demo-code-7b");
    byPool.put("fast", "demo-fast-1b");
    return new ModelSelection(new PoolModels(byPool, List.of("auto"), unknown), 1700000000L);
  }

  private static final ModelSelection SELECTION = selection(PoolModels.UnknownModel.ERROR);

  private static ModelPlan plan(ModelSelection s, String body, String... headers) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i], headers[i + 1]);
    }
    return s.plan(map, body.getBytes(StandardCharsets.UTF_8), "chat");
  }

  private static JsonNode json(ModelPlan plan) throws Exception {
    return JSON.readTree(((ModelPlan.Answer) plan).json());
  }

  @Test
  void plan_alias_choosesAndRewritesToThePoolsModel() {
    String body = "{\"model\":\"auto\",\"messages\":[]}";
    ModelPlan plan = plan(SELECTION, body);

    assertThat(plan).isInstanceOf(ModelPlan.Choose.class);
    ModelPlan.Choose choose = (ModelPlan.Choose) plan;
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertThat(choose.rewrite(bytes, new Decision("fast", 0.9, Stage.HEAD, "x")))
        .hasValueSatisfying(
            b ->
                assertThat(new String(b, StandardCharsets.UTF_8))
                    .isEqualTo("{\"model\":\"demo-fast-1b\",\"messages\":[]}"));
    assertThat(choose.rewrite(bytes, new Decision("chat", 0.9, Stage.HEAD, "x")))
        .as("a pool without a model leaves the body")
        .isEmpty();
  }

  @Test
  void plan_servedModel_routesToItsPoolAtStageModel() {
    ModelPlan plan = plan(SELECTION, "{\"model\":\"demo-code-7b\"}");

    assertThat(plan)
        .isEqualTo(
            new ModelPlan.Route(
                new Decision("code", 1.0, Stage.MODEL, "model 'demo-code-7b'"), "demo-code-7b"));
  }

  @Test
  void plan_unknownModel_isOpenAiStyle404() throws Exception {
    ModelPlan plan = plan(SELECTION, "{\"model\":\"gpt-9\"}");

    assertThat(((ModelPlan.Answer) plan).status()).isEqualTo(404);
    JsonNode error = json(plan).path("error");
    assertThat(error.path("message").asText())
        .isEqualTo(
            "The model 'gpt-9' is not served here (models: auto, demo-code-7b, demo-fast-1b).");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("code").asText()).isEqualTo("model_not_found");
    assertThat(error.path("param").asText()).isEqualTo("model");
  }

  @Test
  void plan_unknownModelWithDefaultPolicy_routesToTheDefaultPool() {
    ModelPlan plan = plan(selection(PoolModels.UnknownModel.DEFAULT), "{\"model\":\"gpt-9\"}");

    assertThat(((ModelPlan.Route) plan).decision().pool()).isEqualTo("chat");
    assertThat(((ModelPlan.Route) plan).decision().reason()).doesNotContain("gpt-9");
  }

  @Test
  void plan_duplicateModel_is400() {
    assertThat(((ModelPlan.Answer) plan(SELECTION, "{\"model\":\"a\",\"model\":\"b\"}")).status())
        .isEqualTo(400);
  }

  @Test
  void plan_notAModelRequest_classifies() {
    assertThat(plan(SELECTION, "{\"messages\":[]}")).isEqualTo(ModelPlan.CLASSIFY);
    assertThat(plan(SELECTION, "")).isEqualTo(ModelPlan.CLASSIFY);
    assertThat(plan(SELECTION, "{\"model\":\"gpt-9\"}", "content-encoding", "gzip"))
        .as("a compressed body is neither read nor rewritten")
        .isEqualTo(ModelPlan.CLASSIFY);
    assertThat(plan(ModelSelection.OFF, "{\"model\":\"gpt-9\"}")).isEqualTo(ModelPlan.CLASSIFY);
  }

  @Test
  void plan_getModels_listsAliasesThenPoolModels() throws Exception {
    ModelPlan plan = SELECTION.plan("GET", "/v1/models?x=1");

    JsonNode list = json(plan);
    assertThat(list.path("object").asText()).isEqualTo("list");
    assertThat(list.path("data").findValuesAsText("id"))
        .containsExactly("auto", "demo-code-7b", "demo-fast-1b");
    assertThat(list.path("data").path(1).path("object").asText()).isEqualTo("model");
    assertThat(list.path("data").path(1).path("created").asLong()).isEqualTo(1700000000L);
    assertThat(json(SELECTION.plan("GET", "/v1/models/demo-fast-1b")).path("id").asText())
        .isEqualTo("demo-fast-1b");
    assertThat(((ModelPlan.Answer) SELECTION.plan("GET", "/v1/models/nope")).status())
        .isEqualTo(404);
    assertThat(SELECTION.plan("POST", "/v1/models")).isEqualTo(ModelPlan.CLASSIFY);
    assertThat(SELECTION.plan("GET", "/v1/chat")).isEqualTo(ModelPlan.CLASSIFY);
    assertThat(ModelSelection.OFF.plan("GET", "/v1/models")).isEqualTo(ModelPlan.CLASSIFY);
  }
}
