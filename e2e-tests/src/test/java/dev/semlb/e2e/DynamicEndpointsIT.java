package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import dev.semlb.worker.WorkerServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Editing pools.yaml changes where Envoy sends traffic, without restarting anything. */
class DynamicEndpointsIT {

  private static final LabelledRequest WRITE =
      new LabelledRequest(
          "general", "PUT", "/api/users/1", "application/json", "{\"name\": \"a\"}");

  @RegisterExtension
  static final SemlbStackExtension STACK = SemlbStackExtension.builder("target/it/dynamic").build();

  private static Set<String> workersSeen(int requests) throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      Served served = STACK.stack().send(WRITE);
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.pool()).isEqualTo("general");
      seen.add(served.worker());
    }
    return seen;
  }

  @Test
  void addedWorker_receivesTraffic_withoutRestart_andABadEditChangesNothing() throws Exception {
    long versionBefore = STACK.stack().xds().publisher().version();
    WorkerServer added = STACK.stack().addWorker("general");

    long deadline = System.nanoTime() + 10_000_000_000L;
    Set<String> seen = Set.of();
    while (System.nanoTime() < deadline && !seen.contains(added.id())) {
      seen = workersSeen(10);
    }
    assertThat(seen).contains(added.id());
    assertThat(added.served()).isPositive();
    assertThat(STACK.stack().xds().publisher().version()).isGreaterThan(versionBefore);
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + STACK.stack().xds().adminPort();
    JsonNode pools =
        new ObjectMapper()
            .readTree(
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/pools")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
    JsonNode general = null;
    for (JsonNode pool : pools.path("pools")) {
      if (pool.path("name").asText().equals("general")) {
        general = pool;
      }
    }
    assertThat(general).isNotNull();
    assertThat(general.path("endpoints").findValuesAsText("port"))
        .contains(String.valueOf(added.port()));
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("semlb_xds_endpoints{pool=\"general\"} 2.0")
        .containsPattern("semlb_xds_connected_streams [1-9]");

    long versionGood = STACK.stack().xds().publisher().version();
    STACK.stack().overwritePools("pools:\n  - name: general\n    endpoints: [not-a-host-port]\n");
    Thread.sleep(1500);

    assertThat(STACK.stack().xds().publisher().version())
        .as("a rejected edit publishes nothing")
        .isEqualTo(versionGood);
    assertThat(workersSeen(20)).hasSize(2).contains(added.id());
  }
}
