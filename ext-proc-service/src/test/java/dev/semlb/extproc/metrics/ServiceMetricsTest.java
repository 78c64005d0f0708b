package dev.semlb.extproc.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.view.BodyKind;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.extproc.routing.PipelineHolder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

  private static final Path ROUTING =
      Path.of(System.getProperty("semlb.repoRoot", "..")).resolve("config/routing.yaml");

  @Test
  void llmCallsAndFailures_areExportedAndSurviveReload() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    URI nobody = URI.create("http://127.0.0.1:" + closedPort);
    ClassifierResources resources = new ClassifierResources(null, Runnable::run, Runnable::run);
    PipelineHolder routing =
        PipelineHolder.load(ROUTING, resources, c -> c.withLlm(c.llm().at(nobody, "m")));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ServiceMetrics(registry, routing, resources.llmCounters());
    RequestView unmatched =
        RequestView.of(
            "POST",
            "/no/rule/matches/this",
            Map.of("content-type", "text/plain"),
            new BodyView(BodyKind.TEXT, "an ordinary sentence", null, 20, false));

    Decision first = routing.get().classifier().classify(unmatched);
    routing.reload();
    Decision second = routing.get().classifier().classify(unmatched);

    assertThat(first.stage()).isEqualTo(Stage.DEFAULT);
    assertThat(second.stage()).isEqualTo(Stage.DEFAULT);
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("semlb_llm_calls_total 2.0")
        .contains("semlb_llm_errors_total 2.0")
        .contains("semlb_llm_timeouts_total 0.0")
        .contains("semlb_llm_invalid_answers_total 0.0");
  }

  @Test
  void sampledEnvoyRouteDecision_countsItsWeight_andNoLatency() throws Exception {
    ClassifierResources resources = new ClassifierResources(null, Runnable::run, Runnable::run);
    PipelineHolder routing = PipelineHolder.load(ROUTING, resources, c -> c);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServiceMetrics metrics = new ServiceMetrics(registry, routing, resources.llmCounters());
    RequestView probe = RequestView.of("GET", "/healthz", Map.of(), BodyView.EMPTY);
    Decision envoy = new Decision("fast-path", 1.0, Stage.ENVOY_ROUTE, "rule 'health-probes'");

    metrics.onSampledDecision(probe, envoy, 100);
    metrics.onSampledDecision(probe, envoy, 100);
    metrics.onDecision(probe, envoy, 0);

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("semlb_decisions_total{pool=\"fast-path\",stage=\"envoy-route\"} 201.0");
    assertThat(
            registry
                .get("semlb.classification")
                .tag("stage", Stage.ENVOY_ROUTE.label())
                .timer()
                .count())
        .as("no classification time for Envoy's decisions")
        .isZero();
  }
}
