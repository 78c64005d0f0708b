package dev.semlb.e2e.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** GETs of a stack's ext-proc-service admin API (no token: the stack runs it without one). */
public final class ExtProcAdmin {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ExtProcAdmin() {}

  /** {@code GET path} (with its query) on the stack's ext-proc-service admin port. */
  public static HttpResponse<String> get(SemlbStack stack, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.extProc().adminPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
