package dev.semlb.extproc.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.admin.AdminConfig;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.extproc.routing.PipelineHolder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminServerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void token_isRequiredWhenConfigured_andDecisionsAreNewestFirst() throws Exception {
    PipelineHolder routing =
        PipelineHolder.load(
            Path.of(System.getProperty("semlb.repoRoot", "..")).resolve("config/routing.yaml"));
    DecisionLog log = new DecisionLog(2, Clock.systemUTC());
    for (String path : new String[] {"/a", "/b", "/c?secret=1"}) {
      log.onDecision(
          RequestView.of("GET", path, Map.of(), BodyView.EMPTY),
          new Decision("general", 1, Stage.RULES, "rule"),
          1000);
    }
    try (AdminServer admin =
        AdminServer.start(
            new AdminConfig("127.0.0.1", 0, "tok"),
            routing,
            log,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new dev.semlb.classifier.cost.CostStats())) {
      URI uri = URI.create("http://127.0.0.1:" + admin.port() + "/api/decisions");

      HttpResponse<String> anonymous =
          HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> wrong =
          HTTP.send(
              HttpRequest.newBuilder(uri).header("Authorization", "Bearer nope").build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> ok =
          HTTP.send(
              HttpRequest.newBuilder(uri).header("Authorization", "Bearer tok").build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body())
          .contains("\"path\" : \"/c\"")
          .contains("\"path\" : \"/b\"")
          .doesNotContain("\"/a\"")
          .doesNotContain("secret");
      assertThat(ok.body().indexOf("/c")).isLessThan(ok.body().indexOf("/b"));
    }
  }

  @Test
  void everyReadEndpoint_answersJson() throws Exception {
    PipelineHolder routing =
        PipelineHolder.load(
            Path.of(System.getProperty("semlb.repoRoot", "..")).resolve("config/routing.yaml"));
    try (AdminServer admin =
        AdminServer.start(
            new AdminConfig("127.0.0.1", 0, ""),
            routing,
            new DecisionLog(2, Clock.systemUTC()),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new dev.semlb.classifier.cost.CostStats())) {
      for (String path :
          new String[] {"/api/stats", "/api/config", "/api/decisions", "/api/costs"}) {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.body()).as(path).matches("(?s)[\\[{].*");
      }
      HttpResponse<String> config =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/api/config"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(config.body()).contains("\"maxQueueWaitMs\" : 20");
    }
  }
}
