package dev.semlb.xds.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.admin.AdminConfig;
import dev.semlb.xds.pools.PoolsConfigLoader;
import dev.semlb.xds.registry.EndpointRegistry;
import dev.semlb.xds.registry.MutableClock;
import dev.semlb.xds.snapshot.SnapshotPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PoolsApiTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MutableClock clock = new MutableClock();
  private final SnapshotPublisher publisher =
      new SnapshotPublisher(host -> List.of(host), new EndpointRegistry(clock));
  private final XdsAdmin admin = new XdsAdmin(publisher, clock);

  @BeforeEach
  void start() throws Exception {
    publisher.publish(
        PoolsConfigLoader.parse(
            "pools.yaml", "pools: [{ name: general, endpoints: [10.0.0.1:9001] }]\n"));
    admin.start(new AdminConfig("127.0.0.1", 0, ""));
  }

  @AfterEach
  void stop() {
    admin.close();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void registerRenewDeregister_roundTrip() throws Exception {
    var created =
        call(
            "POST",
            "/api/pools/general/endpoints",
            "{\"address\":\"10.0.0.9:9001\",\"ttlSeconds\":5}");
    var renewedByPost =
        call(
            "POST",
            "/api/pools/general/endpoints",
            "{\"address\":\"10.0.0.9:9001\",\"ttlSeconds\":5}");
    clock.advance(Duration.ofSeconds(4));
    var renewed = call("PUT", "/api/pools/general/endpoints/10.0.0.9:9001", "{\"ttlSeconds\":5}");
    clock.advance(Duration.ofSeconds(4));
    publisher.expireLeases();
    var listed = call("GET", "/api/pools/general", null);
    var deleted = call("DELETE", "/api/pools/general/endpoints/10.0.0.9:9001", null);
    var deletedAgain = call("DELETE", "/api/pools/general/endpoints/10.0.0.9:9001", null);
    var renewGone = call("PUT", "/api/pools/general/endpoints/10.0.0.9:9001", "{}");

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(renewedByPost.statusCode()).isEqualTo(200);
    assertThat(renewed.statusCode()).isEqualTo(200);
    assertThat(listed.body())
        .contains("\"host\" : \"10.0.0.9\"")
        .contains("\"source\" : \"registration\"")
        .contains("\"leaseRemainingMs\" : 1000");
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deletedAgain.statusCode()).isEqualTo(404);
    assertThat(renewGone.statusCode()).isEqualTo(404);
    assertThat(renewGone.body()).contains("register it again");
  }

  @Test
  void listing_keepsTheFieldsTheDashboardReads_andLeavesOutWhatDoesNotApply() throws Exception {
    JsonNode pools = new ObjectMapper().readTree(call("GET", "/api/pools", null).body());

    assertThat(pools.path("snapshotVersion").asLong()).isEqualTo(publisher.version());
    assertThat(pools.path("connectedStreams").isInt()).as("a number, even when 0").isTrue();
    assertThat(pools.path("defaultPool").asText()).isEqualTo("general");
    JsonNode general = pools.path("pools").get(0);
    assertThat(general.path("name").asText()).isEqualTo("general");
    assertThat(general.path("cluster").asText()).isEqualTo("semlb-pool-general");
    assertThat(general.path("lbPolicy").asText()).isEqualTo("round_robin");
    assertThat(general.path("fallback").isArray()).as("empty lists are printed").isTrue();
    assertThat(general.path("retries").isInt()).isTrue();
    assertThat(general.has("hashHeader")).as("only for hashed policies").isFalse();
    assertThat(general.has("healthCheck")).as("no health check configured").isFalse();
    JsonNode endpoint = general.path("endpoints").get(0);
    assertThat(endpoint.path("host").asText()).isEqualTo("10.0.0.1");
    assertThat(endpoint.path("port").asInt()).isEqualTo(9001);
    assertThat(endpoint.path("weight").asInt()).isEqualTo(1);
    assertThat(endpoint.path("source").asText()).isEqualTo("file");
    assertThat(endpoint.has("leaseRemainingMs")).as("only for registrations").isFalse();
  }

  @Test
  void badInput_getsClearErrors_andChangesNothing() throws Exception {
    long before = publisher.version();

    assertThat(call("POST", "/api/pools/nope/endpoints", "{\"address\":\"a:1\"}").statusCode())
        .isEqualTo(404);
    var noAddress = call("POST", "/api/pools/general/endpoints", "{}");
    var badAddress = call("POST", "/api/pools/general/endpoints", "{\"address\":\"10.0.0.9\"}");
    var badTtl =
        call("POST", "/api/pools/general/endpoints", "{\"address\":\"a:1\",\"ttlSeconds\":0}");
    var badWeight =
        call("POST", "/api/pools/general/endpoints", "{\"address\":\"a:1\",\"weight\":500}");
    var notJson = call("POST", "/api/pools/general/endpoints", "{nope");
    var array = call("PUT", "/api/pools/general/weights", "[1,2]");
    var fraction = call("PUT", "/api/pools/general/weights", "{\"blue\":0.5}");
    var huge =
        call(
            "POST", "/api/pools/general/endpoints", "{\"address\":\"" + "a".repeat(70_000) + "\"}");
    var wrongMethod = call("PATCH", "/api/pools/general", "{}");

    assertThat(noAddress.body()).contains("address: missing (expected: \\\"host:port\\\")");
    assertThat(badAddress.body()).contains("expected: host:port with a port in 1..65535");
    assertThat(badTtl.body()).contains("ttlSeconds: 0 (expected: 1..3600)");
    assertThat(badWeight.body()).contains("weight: 500 (expected: 1..128)");
    assertThat(notJson.body()).contains("body: not JSON");
    assertThat(array.body()).contains("(expected: a JSON object)");
    assertThat(fraction.body()).contains("blue: 0.5 (expected: 0..100)");
    assertThat(huge.body()).contains("over 65536 bytes");
    assertThat(List.of(noAddress, badAddress, badTtl, badWeight, notJson, array, fraction, huge))
        .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(400));
    assertThat(wrongMethod.statusCode()).isEqualTo(404);
    assertThat(publisher.version()).isEqualTo(before);
    assertThat(publisher.registry().snapshot()).isEmpty();
  }

  @Test
  void rateLimit_putGetDelete_liveAndKeptAcrossAReload() throws Exception {
    long before = publisher.version();
    var unlimited = call("GET", "/api/pools/general/rate-limit", null);
    var put =
        call("PUT", "/api/pools/general/rate-limit", "{\"requestsPerMinute\":30,\"burst\":5}");
    var got = call("GET", "/api/pools/general/rate-limit", null);
    long afterPut = publisher.version();
    // A pools.yaml reload (same file, no rateLimit in it) keeps the live limit.
    publisher.publish(
        PoolsConfigLoader.parse(
            "pools.yaml", "pools: [{ name: general, endpoints: [10.0.0.1:9001] }]\n"));
    var afterReload = call("GET", "/api/pools/general", null);
    var deleted = call("DELETE", "/api/pools/general/rate-limit", null);
    var gone = call("GET", "/api/pools/general/rate-limit", null);

    assertThat(unlimited.statusCode()).isEqualTo(404);
    assertThat(unlimited.body()).contains("pool general: no rate limit");
    assertThat(put.statusCode()).isEqualTo(200);
    JsonNode limit = JSON.readTree(put.body()).path("rateLimit");
    assertThat(limit.path("requestsPerMinute").asInt()).isEqualTo(30);
    assertThat(limit.path("burst").asInt()).isEqualTo(5);
    assertThat(limit.path("retryAfterSeconds").asInt()).isEqualTo(2);
    assertThat(JSON.readTree(got.body())).isEqualTo(limit);
    assertThat(afterPut).as("published before the answer").isEqualTo(before + 1);
    assertThat(JSON.readTree(afterReload.body()).path("rateLimit")).isEqualTo(limit);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(deleted.body()).has("rateLimit")).isFalse();
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(publisher.served().config().pool("general").orElseThrow().policy().rateLimit())
        .isEmpty();
  }

  @Test
  void rateLimit_badInput_400WithTheReason_andChangesNothing() throws Exception {
    call("PUT", "/api/pools/general/rate-limit", "{\"requestsPerSecond\":10}");
    long before = publisher.version();

    var zeroBurst =
        call("PUT", "/api/pools/general/rate-limit", "{\"requestsPerSecond\":5,\"burst\":0}");
    var both =
        call(
            "PUT",
            "/api/pools/general/rate-limit",
            "{\"requestsPerSecond\":5,\"requestsPerMinute\":5}");
    var none = call("PUT", "/api/pools/general/rate-limit", "{}");
    var text = call("PUT", "/api/pools/general/rate-limit", "{\"requestsPerSecond\":\"lots\"}");
    var unknown = call("PUT", "/api/pools/general/rate-limit", "{\"requestsPerHour\":5}");
    var noPool = call("PUT", "/api/pools/nope/rate-limit", "{\"requestsPerSecond\":5}");
    var post = call("POST", "/api/pools/general/rate-limit", "{\"requestsPerSecond\":5}");

    assertThat(zeroBurst.body()).contains("rateLimit.burst: 0 (expected: 1..1000000)");
    assertThat(both.body()).contains("rateLimit: both requestsPerSecond and requestsPerMinute");
    assertThat(none.body()).contains("rateLimit: neither requestsPerSecond nor requestsPerMinute");
    assertThat(text.body())
        .contains("rateLimit.requestsPerSecond: \\\"lots\\\" (expected: an integer");
    assertThat(unknown.body()).contains("rateLimit.requestsPerHour: unknown");
    assertThat(List.of(zeroBurst, both, none, text, unknown))
        .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(400));
    assertThat(noPool.statusCode()).isEqualTo(404);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(publisher.version()).isEqualTo(before);
    assertThat(publisher.served().config().pool("general").orElseThrow().policy().rateLimit())
        .map(Object::toString)
        .hasValue("10 per second, burst 10");
  }
}
