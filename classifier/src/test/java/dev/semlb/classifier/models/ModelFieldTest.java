package dev.semlb.classifier.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelFieldTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String replaced(String body, String model) {
    ModelField field = ModelField.find(utf8(body));
    assertThat(field.kind()).isEqualTo(ModelField.Kind.FOUND);
    return new String(field.replace(utf8(body), model), StandardCharsets.UTF_8);
  }

  @Test
  void replace_keepsEveryOtherByte() {
    String body =
        "{ \"messages\": [{\"role\":\"user\",\"content\":\"h\\u00e9llo ✓ \\\"model\\\"\"}],\n"
            + "  \"model\" :  \"auto\" , \"n\": 1.50}";

    assertThat(replaced(body, "demo-code-7b"))
        .isEqualTo(body.replace("\"auto\"", "\"demo-code-7b\""));
  }

  @Test
  void replace_afterMultiByteText_usesByteOffsets() {
    String body = "{\"prompt\":\"日本語のテキスト\",\"model\":\"auto\"}";

    assertThat(replaced(body, "m")).isEqualTo("{\"prompt\":\"日本語のテキスト\",\"model\":\"m\"}");
  }

  @Test
  void replace_escapesTheNewModel() {
    assertThat(replaced("{\"model\":\"a\\\"b\"}", "x\"y")).isEqualTo("{\"model\":\"x\\\"y\"}");
  }

  @Test
  void find_readsOnlyTheTopLevelModel() {
    ModelField field =
        ModelField.find(utf8("{\"tools\":[{\"model\":\"inner\"}],\"model\":\"auto\",\"x\":{}}"));

    assertThat(field.kind()).isEqualTo(ModelField.Kind.FOUND);
    assertThat(field.value()).isEqualTo("auto");
  }

  @Test
  void find_notAModelRequest_isAbsent() {
    for (String body :
        new String[] {
          "", "[1]", "not json", "{\"model\": 7}", "{\"messages\":[]}", "{\"model\":\"a\"", "{} {}"
        }) {
      assertThat(ModelField.find(utf8(body)).kind()).as(body).isEqualTo(ModelField.Kind.ABSENT);
    }
  }

  @Test
  void find_twoModelKeys_isDuplicate() {
    assertThat(ModelField.find(utf8("{\"model\":\"auto\",\"model\":\"m\"}")).kind())
        .isEqualTo(ModelField.Kind.DUPLICATE);
    assertThat(ModelField.find(utf8("{\"model\":1,\"model\":\"m\"}")).kind())
        .isEqualTo(ModelField.Kind.DUPLICATE);
  }
}
