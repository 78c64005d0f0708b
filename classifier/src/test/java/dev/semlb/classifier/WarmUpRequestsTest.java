package dev.semlb.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.view.BodyKind;
import dev.semlb.classifier.view.RequestView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WarmUpRequestsTest {

  /** As many rounds as ext-proc-service runs at most. */
  private static final int ROUNDS = 30;

  private static final Path ROOT = Path.of(System.getProperty("semlb.repoRoot", ".."));

  private static List<RequestView> views(int round) throws Exception {
    Pipeline pipeline =
        Pipeline.build(RoutingConfigLoader.load(ROOT.resolve("config/routing.yaml"), false));
    List<RequestView> views = new ArrayList<>();
    for (WarmUpRequests.Shape shape : WarmUpRequests.shapes(round)) {
      byte[] body = shape.body().getBytes(StandardCharsets.UTF_8);
      views.add(
          pipeline.view(
              shape.method(),
              shape.target(),
              shape.contentType().isEmpty()
                  ? Map.of()
                  : Map.of("content-type", shape.contentType()),
              body,
              body.length));
    }
    return views;
  }

  @Test
  void shapesRunEachBodyReader_andEveryMethodKind() throws Exception {
    List<RequestView> views = views(0);

    assertThat(views.stream().map(v -> v.body().kind()))
        .contains(
            BodyKind.NONE,
            BodyKind.JSON,
            BodyKind.PROMPT,
            BodyKind.GRAPHQL,
            BodyKind.FORM,
            BodyKind.TEXT);
    assertThat(views.stream().map(RequestView::method)).contains("GET", "POST", "PUT", "DELETE");
    for (RequestView view : views) {
      assertThat(view.body().truncated()).as(view.path()).isFalse();
    }
  }

  @Test
  void roundsDiffer_soNeitherCacheNorEmbeddingMemoAnswersALaterOne() {
    Set<String> bodies = new HashSet<>();
    Set<String> requests = new HashSet<>();
    int withBody = 0;
    for (int round = 0; round < ROUNDS; round++) {
      for (WarmUpRequests.Shape shape : WarmUpRequests.shapes(round)) {
        requests.add(shape.method() + " " + shape.target() + " " + shape.body());
        if (!shape.body().isEmpty()) {
          withBody++;
          bodies.add(shape.body());
        }
      }
    }
    assertThat(bodies).hasSize(withBody);
    assertThat(requests).hasSize(ROUNDS * WarmUpRequests.shapes(0).size());
  }

  @Test
  void sameRound_sameRequests() {
    assertThat(WarmUpRequests.shapes(7)).isEqualTo(WarmUpRequests.shapes(7));
  }
}
