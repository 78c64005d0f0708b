package dev.semlb.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.embedding.OnnxEmbedder;
import dev.semlb.classifier.eval.Evaluator;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.classifier.view.BodyExtractor;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.classifier.view.ViewLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The config we ship, with the real embedding model, routes the workloads we ship (and the
 * reference workload) as labelled.
 */
class ShippedRoutingConfigTest {

  private static final Path ROOT = Path.of(System.getProperty("semlb.repoRoot", ".."));
  private static ClassifierResources model;

  private static synchronized Pipeline shipped() throws Exception {
    RoutingConfig config = RoutingConfigLoader.load(ROOT.resolve("config/routing.yaml"));
    if (model == null) {
      model =
          new ClassifierResources(
              OnnxEmbedder.load(config.embedding().model()), Runnable::run, Runnable::run);
    }
    return Pipeline.build(config, model);
  }

  private static List<String> misrouted(Pipeline table, List<LabelledRequest> workload) {
    List<String> wrong = new ArrayList<>();
    for (LabelledRequest r : workload) {
      Decision d = table.classifier().classify(Evaluator.view(table, r));
      if (!d.pool().equals(r.expectedPool())) {
        wrong.add(r.describe() + " but got " + d.pool() + " (" + d.reason() + ")");
      }
    }
    return wrong;
  }

  @Test
  void shippedWorkload_routesAsLabelled() throws Exception {
    Pipeline table = shipped();
    List<LabelledRequest> workload = WorkloadFile.read(ROOT.resolve("scripts/workload.jsonl"));

    assertThat(workload).hasSizeGreaterThanOrEqualTo(15);
    assertThat(misrouted(table, workload)).isEmpty();
  }

  @Test
  void referenceWorkload_routesAsLabelled() throws Exception {
    Path seed = ROOT.resolve("../shared/reference/semantic-lb-load-test-payloads.tsv").normalize();
    if (!Files.exists(seed)) {
      if ("true".equals(System.getenv("CI"))) {
        fail("reference workload missing in CI: " + seed);
      }
      Assumptions.abort("reference workload not present beside this checkout: " + seed);
    }
    Pipeline table = shipped();
    List<LabelledRequest> workload = WorkloadFile.read(seed);

    assertThat(workload).hasSize(8);
    assertThat(misrouted(table, workload)).isEmpty();
  }

  @Test
  void regression_selectWithThousandsOfColumns_overflowedThePointLookupRule() throws Exception {
    // A capturing group repeated with `*` is matched recursively, once per column: 1,000
    // columns (a 4 KiB request) threw StackOverflowError, so the pipeline skipped every rule.
    Rule pointLookup =
        RoutingConfigLoader.load(ROOT.resolve("config/routing.yaml")).rules().stream()
            .filter(r -> r.name().equals("point-lookup-sql"))
            .findFirst()
            .orElseThrow();
    for (int columns : new int[] {1, 2, 1_000, 20_000}) {
      String sql = "select c0" + ", c".repeat(columns - 1) + " from t where id = 7";
      byte[] body = ("{\"query\":\"" + sql + "\"}").getBytes(StandardCharsets.UTF_8);
      BodyView bodyView =
          new BodyExtractor(new ViewLimits(1 << 20, 4096, 128))
              .extract(body, body.length, "application/json", null);

      assertThat(pointLookup.matches(RequestView.of("POST", "/sql", Map.of(), bodyView)))
          .as("%d columns", columns)
          .isTrue();
    }
  }
}
