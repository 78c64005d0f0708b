package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Coverage-guided fuzzing of the request view (Jazzer): each input is a request in the {@link
 * FuzzRequest} format, read as ext-proc-service reads it (shipped limits, the body size from
 * Content-Length when larger), and again under tiny limits so that short inputs reach the
 * truncation paths. Then the shipped rules and the rules-only pipeline run on it. In a normal test
 * run this replays the committed inputs in {@code RequestViewFuzzTestInputs/requestView/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (see docs/fuzzing.md).
 */
class RequestViewFuzzTest {

  private static final Pipeline SHIPPED = shipped();
  private static final BodyExtractor TINY = new BodyExtractor(new ViewLimits(48, 24, 3));

  @FuzzTest(maxDuration = "5m")
  void requestView(byte[] input) {
    long start = System.nanoTime();
    FuzzRequest request = FuzzRequest.parse(input);
    byte[] body = request.body();
    long totalSize = Math.max(body.length, contentLength(request.header("content-length")));
    String contentType = request.header("content-type");
    String encoding = request.header("content-encoding");

    ViewInvariants.checkBody(TINY, body, totalSize, contentType, encoding);
    BodyView bodyView =
        ViewInvariants.checkBody(SHIPPED.extractor(), body, totalSize, contentType, encoding);
    RequestView view =
        ViewInvariants.checkView(
            request.method(),
            request.target(),
            request.headers(),
            bodyView,
            SHIPPED.config().embedding().maxWords());

    // Each rule on its own: the pipeline would log and skip a rule that throws (say, a regex
    // that overflows the stack), which must not happen to the rules we ship.
    for (Rule rule : SHIPPED.config().rules()) {
      rule.matches(view);
    }
    assertThat(SHIPPED.config().poolNames()).contains(SHIPPED.classifier().classify(view).pool());

    // Bounded work: far above the milliseconds an input takes, far below a hang. (Not
    // @Timeout: JUnit would apply it to the whole fuzzing run.)
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("time for one input")
        .isLessThan(Duration.ofSeconds(5));
  }

  private static long contentLength(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Pipeline shipped() {
    try {
      Path root = Path.of(System.getProperty("semlb.repoRoot", ".."));
      return Pipeline.build(RoutingConfigLoader.load(root.resolve("config/routing.yaml")));
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }
}
