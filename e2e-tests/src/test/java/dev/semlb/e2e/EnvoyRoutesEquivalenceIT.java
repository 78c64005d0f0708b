package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.envoyroute.NativeRoutePlan;
import dev.semlb.classifier.envoyroute.NativeRule;
import dev.semlb.classifier.rules.Rule;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The property behind native routes: for generated rule sets and generated requests, the real
 * Envoy, with xds-server's native routes and ext-proc-service down (so anything not decided in
 * Envoy's route table fails open to the default pool, general), serves every request from the pool
 * the Java rules stage predicts: the first matching rule's pool when that rule is a native route
 * the request satisfies, general otherwise. Rules route only to fast-path and high-compute, so a
 * native route taken wrongly, or missed, shows as a different pool. Rule sets mix header-only rules
 * (every path and header test kind), rules with body, JSON and content-type tests, rules whose
 * regex has no RE2 equivalent, and rules that can never match; requests mix methods (some in lower
 * case), paths with queries, headers in several cases, and bodies (none, fixed-length, chunked).
 */
class EnvoyRoutesEquivalenceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SEGMENTS = {
    "api", "v1", "users", "reports", "healthz", "42", "a.b"
  };
  private static final String[] REGEXES = {
    "/api/(users|items)/\\\\d+",
    "/(healthz?|ping)/?",
    "(/v\\\\d+)?/reports(/.*)?",
    "/API/.*",
    "(?i)/api/USERS(/.*)?",
    "/api/(?=users).*",
    "/api/\\\\w++",
    "/items/[a-z&&[^x]]+",
    "/[a-z]+/\\\\d{1,3}"
  };
  private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE"};
  private static final String[] TENANTS = {"acme", "ACME-eu", "beta", "acme-us", "b"};
  private static final String[] POOLS = {"fast-path", "high-compute"};

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/envoy-routes-equivalence").envoyRoutes().build();

  @Test
  void envoyDecidesExactlyWhatTheRulesStageWould() throws Exception {
    String head = routingWithoutRules();
    STACK.stack().killExtProc();
    List<String> mismatches = new ArrayList<>();
    int nativeServed = 0;
    int failedOpen = 0;
    for (int seed = 1; seed <= 6; seed++) {
      Random random = new Random(seed);
      String yaml = head + rules(random);
      STACK.stack().overwriteRouting(yaml);
      RoutingConfig config = RoutingConfigLoader.load(STACK.stack().routingFile(), false);
      NativeRoutePlan plan = config.nativeRoutes();
      awaitRoutes(plan);
      Pipeline pipeline = Pipeline.build(config);
      for (int i = 0; i < 150; i++) {
        Request request = request(random);
        RequestView view =
            pipeline.view(
                request.method(),
                request.target(),
                request.headers(),
                request.body().getBytes(StandardCharsets.UTF_8),
                request.body().length());
        Optional<Rule> first = config.rules().stream().filter(r -> r.matches(view)).findFirst();
        boolean taken = first.flatMap(r -> plan.rule(r.name())).isPresent();
        String expected = taken ? first.get().pool() : "general";
        Served served = send(request);
        if (served.status() != 200 || !expected.equals(served.pool())) {
          mismatches.add(
              "seed "
                  + seed
                  + ": "
                  + request
                  + " -> "
                  + served.status()
                  + " "
                  + served.pool()
                  + ", expected "
                  + expected
                  + " (first rule "
                  + first.map(Rule::name).orElse("none")
                  + ")");
        }
        if (taken) {
          nativeServed++;
        } else {
          failedOpen++;
        }
      }
      assertThat(STACK.stack().envoy().stat("http.semlb.rds.semlb_pools.update_rejected"))
          .as("Envoy rejected a route table (seed %d)", seed)
          .isZero();
    }
    assertThat(mismatches).as("requests Envoy routed unlike the rules stage").isEmpty();
    System.out.printf(
        "envoy-routes equivalence: %d natively routed, %d via ext_proc (failed open)%n",
        nativeServed, failedOpen);
    // The property was exercised both ways.
    assertThat(nativeServed).isGreaterThan(150);
    assertThat(failedOpen).isGreaterThan(100);
  }

  /** Waits until Envoy serves exactly the plan's native routes. */
  private static void awaitRoutes(NativeRoutePlan plan) throws Exception {
    List<String> expected = new ArrayList<>();
    for (NativeRule rule : plan.rules()) {
      expected.add(rule.routeName());
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    List<String> seen = List.of();
    while (System.nanoTime() < deadline) {
      seen = nativeRoutesInEnvoy();
      if (seen.equals(expected)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Envoy serves native routes " + seen + ", expected " + expected);
  }

  /** The distinct native route names in Envoy's RDS config, in order. */
  private static List<String> nativeRoutesInEnvoy() throws Exception {
    JsonNode dump =
        JSON.readTree(STACK.stack().envoy().admin("/config_dump?resource=dynamic_route_configs"));
    List<String> names = new ArrayList<>();
    for (JsonNode config : dump.path("configs")) {
      for (JsonNode host : config.path("route_config").path("virtual_hosts")) {
        for (JsonNode route : host.path("routes")) {
          String name = route.path("name").asText();
          if (name.startsWith(NativeRule.ROUTE_PREFIX)
              && (names.isEmpty() || !names.get(names.size() - 1).equals(name))) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }

  private static String routingWithoutRules() throws Exception {
    String shipped = Files.readString(EnvoyProcess.repoRoot().resolve("config/routing.yaml"));
    int rules = shipped.indexOf("\nrules:\n");
    assertThat(rules).as("rules: is the last section of config/routing.yaml").isPositive();
    return shipped.substring(0, rules + 1);
  }

  /** 10 generated rules as routing.yaml text. */
  private static String rules(Random random) {
    StringBuilder out = new StringBuilder("rules:\n");
    for (int i = 0; i < 10; i++) {
      out.append("  - name: r").append(i).append('\n');
      out.append("    pool: ").append(POOLS[random.nextInt(POOLS.length)]).append('\n');
      out.append("    match:\n");
      boolean any = false;
      if (random.nextInt(5) > 0) {
        out.append("      methods: [").append(String.join(", ", methods(random))).append("]\n");
        any = true;
      }
      if (random.nextInt(4) > 0) {
        out.append("      path: ").append(pathTest(random)).append('\n');
        any = true;
      }
      if (random.nextInt(3) == 0) {
        out.append("      headers:\n        - ").append(headerTest(random)).append('\n');
        any = true;
      }
      int body = random.nextInt(i < 3 ? 30 : 12);
      if (body == 0) {
        out.append("      json:\n        - { field: batch, present: true }\n");
        any = true;
      } else if (body == 1) {
        out.append("      body: { keywords: [urgent] }\n");
        any = true;
      } else if (body == 2) {
        out.append("      contentTypes: [application/json]\n");
        any = true;
      }
      if (!any) {
        out.append("      methods: [GET]\n");
      }
    }
    return out.toString();
  }

  private static List<String> methods(Random random) {
    List<String> out = new ArrayList<>();
    for (String m : METHODS) {
      if (random.nextInt(3) == 0) {
        out.add(m);
      }
    }
    return out.isEmpty() ? List.of(METHODS[random.nextInt(METHODS.length)]) : out;
  }

  private static String pathTest(Random random) {
    String path = path(random, false);
    switch (random.nextInt(5)) {
      case 0:
        return "{ exact: \"" + path + "\" }";
      case 1:
        return "{ prefix: \"" + path.substring(0, 1 + random.nextInt(path.length())) + "\" }";
      case 2:
        return "{ regex: \"" + REGEXES[random.nextInt(REGEXES.length)] + "\" }";
      default:
        String[] parts = path.substring(1).split("/");
        int k = random.nextInt(parts.length);
        parts[k] = new String[] {"*", "**", "?" + parts[k].substring(1), "*s"}[random.nextInt(4)];
        return "{ glob: \"/"
            + String.join("/", parts)
            + (random.nextInt(4) == 0 ? "/**" : "")
            + "\" }";
    }
  }

  private static String headerTest(Random random) {
    String tenant = TENANTS[random.nextInt(TENANTS.length)];
    switch (random.nextInt(7)) {
      case 0:
        return "{ name: X-Tenant, exact: " + tenant + " }";
      case 1:
        return "{ name: x-tenant, exact: " + tenant + ", ignoreCase: true }";
      case 2:
        return "{ name: x-tenant, prefix: " + tenant.substring(0, 1) + " }";
      case 3:
        return "{ name: x-tenant, contains: \"-\" }";
      case 4:
        return "{ name: x-tenant, regex: \"^(acme|beta)$\" }";
      case 5:
        return "{ name: x-tenant, present: true }";
      default:
        return "{ name: authorization, present: true }"; // never in a request view
    }
  }

  private static String path(Random random, boolean query) {
    StringBuilder out = new StringBuilder();
    int depth = 1 + random.nextInt(random.nextBoolean() ? 1 : 3);
    for (int i = 0; i < depth; i++) {
      out.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
    }
    if (random.nextInt(6) == 0) {
      out.append('/');
    }
    if (query && random.nextInt(4) == 0) {
      out.append(random.nextBoolean() ? "?q=1" : "?next=/api/users/42");
    }
    return out.toString();
  }

  private record Request(
      String method, String target, Map<String, String> headers, String body, boolean chunked) {}

  private static Request request(Random random) {
    String method = METHODS[random.nextInt(METHODS.length)];
    Map<String, String> headers = new LinkedHashMap<>();
    if (random.nextInt(3) > 0) {
      headers.put("x-tenant", TENANTS[random.nextInt(TENANTS.length)]);
    }
    String body = "";
    boolean chunked = false;
    boolean mayHaveBody = !method.equalsIgnoreCase("HEAD");
    int b = random.nextInt(10);
    if (mayHaveBody && b < 2) {
      body = "{\"batch\": [1, 2]}";
    } else if (mayHaveBody && b < 4) {
      body = "{\"x\": 1, \"note\": \"urgent\"}";
    } else if (mayHaveBody && b < 5) {
      body = "please look at this, urgent";
    }
    if (!body.isEmpty()) {
      headers.put("content-type", body.startsWith("{") ? "application/json" : "text/plain");
      chunked = random.nextInt(3) == 0;
    } else if (random.nextInt(8) == 0) {
      headers.put("content-type", "application/json");
    }
    return new Request(method, path(random, true), headers, body, chunked);
  }

  private static Served send(Request r) throws Exception {
    byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
    HttpRequest.BodyPublisher body =
        r.body().isEmpty()
            ? HttpRequest.BodyPublishers.noBody()
            : r.chunked()
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
    List<String> headers = new ArrayList<>();
    r.headers()
        .forEach(
            (k, v) -> {
              if (!k.equals("content-type")) {
                headers.add(k.equals("x-tenant") ? "X-Tenant" : k);
                headers.add(v);
              }
            });
    return STACK
        .stack()
        .send(
            r.method(),
            r.target(),
            r.headers().getOrDefault("content-type", ""),
            body,
            headers.toArray(String[]::new));
  }
}
