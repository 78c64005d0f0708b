package dev.semlb.classifier.signals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semlb.classifier.view.BodyExtractor;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.classifier.view.ViewLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TimeWindow} and the {@link Signal#TIME_WINDOW} signal it sets. */
class TimeWindowTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static double timeWindow(String method, String target, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    BodyView view =
        bytes.length == 0
            ? BodyView.EMPTY
            : new BodyExtractor(ViewLimits.DEFAULTS)
                .extract(bytes, bytes.length, "application/json", null);
    RequestView request =
        RequestView.of(
            method,
            target,
            body.isEmpty() ? Map.of() : Map.of("content-type", "application/json"),
            view);
    return RequestSignals.of(request)[Signal.TIME_WINDOW.ordinal()];
  }

  @Test
  void bothEndsInTheQuery() {
    assertThat(
            timeWindow(
                "GET", "/v2/metrics/droplet/cpu?host_id=1&start=1620683817&end=1620705417", ""))
        .isEqualTo(1);
    assertThat(timeWindow("GET", "/organization/costs?start_time=0&end_time=0&bucket_width=1d", ""))
        .isEqualTo(1);
    assertThat(timeWindow("GET", "/insights/churn?Since=2022-06-01&UNTIL=2024-06-01", ""))
        .isEqualTo(1);
  }

  @Test
  void oneEndIsPaging_notAWindow() {
    assertThat(timeWindow("GET", "/books/_search?from=20&size=10", "")).isZero();
    assertThat(timeWindow("GET", "/events?since=2024-01-01", "")).isZero();
    assertThat(timeWindow("GET", "/v1/users/42", "")).isZero();
  }

  @Test
  void bareFromAndTo_countOnlyWithTimeLikeValues() {
    assertThat(timeWindow("GET", "/api/fx/rate?from=EUR&to=NOK", "")).isZero();
    assertThat(timeWindow("GET", "/funnels?from=2023-01-01&to=2023-12-31", "")).isEqualTo(1);
    assertThat(timeWindow("GET", "/plot?start=%2A-1d&end=%2A", "")).isEqualTo(1);
    assertThat(
            timeWindow(
                "POST",
                "/jsonrpc",
                "{\"method\":\"roster.swapShift\",\"params\":{\"from\":\"E10442\",\"to\":\"E10981\"}}"))
        .isZero();
  }

  @Test
  void bothEndsAnywhereInAJsonBody() {
    String nested =
        "{\"limit\":100,\"query\":{\"filter\":{\"workday\":{\"date_range\":"
            + "{\"start_date\":\"2025-10-01\",\"end_date\":\"2025-10-15\"}}}}}";
    assertThat(timeWindow("POST", "/v2/labor/shifts/search", nested)).isEqualTo(1);
    assertThat(timeWindow("POST", "/exports", "[{\"from\":\"2019-01\",\"to\":\"2024-12\"}]"))
        .isEqualTo(1);
  }

  @Test
  void keysOfContainersBooleansAndNulls_doNotCount() throws Exception {
    assertThat(TimeWindow.inJson(JSON.readTree("{\"start\":{\"x\":1},\"end\":{\"y\":2}}"), 100))
        .isFalse();
    assertThat(TimeWindow.inJson(JSON.readTree("{\"start\":true,\"end\":null}"), 100)).isFalse();
    assertThat(TimeWindow.inJson(JSON.readTree("{\"startTime\":\"a\",\"end_time\":2}"), 100))
        .isTrue();
  }

  @Test
  void visitsAtMostMaxNodes() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode items = root.putArray("items");
    for (int i = 0; i < 50; i++) {
      items.addObject().put("name", "n" + i);
    }
    items.addObject().put("start_time", 1).put("end_time", 2);
    JsonNode body = root;

    assertThat(TimeWindow.inJson(body, 10_000)).isTrue();
    assertThat(TimeWindow.inJson(body, 20)).as("the window sits past the visit budget").isFalse();
  }

  @Test
  void keysAreComparedWithoutCaseDashesOrUnderscores() {
    assertThat(TimeWindow.inQuery(List.of("start-time=0", "end_time=0"))).isTrue();
    assertThat(TimeWindow.key("Period_Start")).isEqualTo("periodstart");
  }
}
