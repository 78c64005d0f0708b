package dev.semlb.classifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestViewTest {

  @Test
  void of_splitsQuery_normalizesMethodAndContentType() {
    RequestView view =
        RequestView.of(
            "post",
            "/api/users?id=1&x=2",
            Map.of("Content-Type", "Application/JSON; charset=utf-8", "X-Tenant", "acme"),
            BodyView.EMPTY);

    assertThat(view.method()).isEqualTo("POST");
    assertThat(view.path()).isEqualTo("/api/users");
    assertThat(view.query()).isEqualTo("id=1&x=2");
    assertThat(view.contentType()).isEqualTo("application/json");
    assertThat(view.header("x-tenant")).isEqualTo("acme");
  }

  @Test
  void of_dropsCredentialsPseudoHeadersAndTheRoutingHeader() {
    RequestView view =
        RequestView.of(
            "GET",
            "/",
            Map.of(
                "Authorization",
                "Bearer secret",
                "cookie",
                "sid=1",
                ":authority",
                "example.org",
                "x-semantic-pool",
                "fast-path",
                "accept",
                "*/*"),
            BodyView.EMPTY);

    assertThat(view.headers()).containsOnlyKeys("accept");
  }

  @Test
  void of_emptyTarget_becomesRoot() {
    assertThat(RequestView.of("GET", "", Map.of(), BodyView.EMPTY).path()).isEqualTo("/");
  }

  @Test
  void regression_canonicalConstructorKeptCredentialHeaders() {
    // Only of() dropped them; a view built with the constructor carried Authorization along.
    RequestView view =
        new RequestView(
            "GET",
            "/",
            "",
            "",
            Map.of(
                "Authorization", "Bearer secret", "COOKIE", "sid=1", ":path", "/", "Accept", "*/*"),
            BodyView.EMPTY);

    assertThat(view.headers()).containsOnlyKeys("accept");
  }

  @Test
  void regression_nonAsciiHeaderNameKeptItsCapitals() {
    // The fast path lower-cased only A-Z, so "Ünit" stayed as it was and header("ünit") missed it.
    RequestView view =
        RequestView.of("GET", "/", Map.of("\u00dcnit", "1", "X-\u00c0", "2"), BodyView.EMPTY);

    assertThat(view.headers()).containsOnlyKeys("\u00fcnit", "x-\u00e0");
    assertThat(view.header("\u00dcNIT")).isEqualTo("1");
  }
}
