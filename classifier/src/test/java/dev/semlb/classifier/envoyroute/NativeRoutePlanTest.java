package dev.semlb.classifier.envoyroute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.wire.WireContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeRoutePlanTest {

  private static final String POOLS =
      """
      defaultPool: general
      pools:
        - name: fast-path
        - name: general
      """;

  private static NativeRoutePlan plan(String rules) throws Exception {
    return RoutingConfigLoader.parse("r.yaml", POOLS + "rules:\n" + rules).nativeRoutes();
  }

  private static List<String> names(NativeRoutePlan plan) {
    return plan.rules().stream().map(r -> r.rule().name()).toList();
  }

  @Test
  void headerOnlyRules_becomeRoutes_withTheirConditions() throws Exception {
    NativeRoutePlan plan =
        plan(
            """
              - name: probes
                pool: fast-path
                match:
                  methods: [HEAD, GET]
                  path: { glob: "/health/**" }
              - name: tenant
                pool: fast-path
                match:
                  path: { prefix: /t/ }
                  headers: [{ name: X-Tenant, exact: Acme, ignoreCase: true }]
            """);
    assertThat(names(plan)).containsExactly("probes", "tenant");
    NativeRule probes = plan.rules().get(0);
    assertThat(probes.routeName()).isEqualTo("rule/probes");
    assertThat(probes.path()).isEqualTo(new PathTest(PathTest.Kind.PREFIX, "/health/"));
    assertThat(probes.headers())
        .containsExactly(
            HeaderTest.regex(":method", "(?i)(?:GET|HEAD)"),
            HeaderTest.absent(WireContract.POOL_HEADER));
    assertThat(plan.rules().get(1).headers())
        .contains(new HeaderTest("x-tenant", HeaderTest.Kind.EXACT, "Acme", true, false));
  }

  @Test
  void aRuleAfterABodyRule_staysInExtProc_unlessTheirMethodsAreDisjoint() throws Exception {
    NativeRoutePlan plan =
        plan(
            """
              - name: batch
                pool: general
                match:
                  methods: [POST]
                  json: [{ field: batch, present: true }]
              - name: reads
                pool: fast-path
                match:
                  methods: [GET]
                  path: { exact: /a }
              - name: any-method
                pool: fast-path
                match:
                  path: { exact: /b }
              - name: after-it
                pool: fast-path
                match:
                  methods: [HEAD]
                  path: { exact: /c }
            """);
    // A chunked POST looks bodiless to Envoy's route match, so "any-method" must stay in
    // ext_proc; and "after-it" behind it, since "any-method" matches HEAD requests too.
    assertThat(names(plan)).containsExactly("reads");
  }

  @Test
  void aRuleEnvoyCannotState_keepsOverlappingLaterRulesInExtProc() throws Exception {
    NativeRoutePlan plan =
        plan(
            """
              - name: lookahead
                pool: fast-path
                match:
                  methods: [GET]
                  path: { regex: "/api/(?=users).*" }
              - name: other-method
                pool: fast-path
                match:
                  methods: [DELETE]
                  path: { prefix: /api }
              - name: blocked
                pool: fast-path
                match:
                  path: { prefix: /api }
              - name: content-type
                pool: fast-path
                match:
                  contentTypes: [application/json]
              - name: blocked-by-content-type
                pool: fast-path
                match:
                  methods: [DELETE]
            """);
    assertThat(names(plan)).containsExactly("other-method");
  }

  @Test
  void rulesThatCanNeverMatch_areLeftOut_andBlockNothing() throws Exception {
    NativeRoutePlan plan =
        plan(
            """
              - name: credentials
                pool: fast-path
                match:
                  headers: [{ name: authorization, present: true }]
              - name: query-in-path
                pool: fast-path
                match:
                  path: { exact: "/a?b=1" }
              - name: next
                pool: fast-path
                match:
                  path: { glob: "/items/*/detail" }
            """);
    assertThat(names(plan)).containsExactly("next");
    assertThat(plan.rules().get(0).path())
        .isEqualTo(new PathTest(PathTest.Kind.REGEX, "/items/[^/]*/detail"));
  }

  @Test
  void offSwitch_givesNoRoutes() throws Exception {
    RoutingConfig config =
        RoutingConfigLoader.parse(
            "r.yaml",
            POOLS
                + "envoyRoutes: { enabled: false }\n"
                + "rules:\n  - name: a\n    pool: fast-path\n    match: { methods: [GET] }\n");
    assertThat(config.envoyRoutes()).isFalse();
    assertThat(config.nativeRoutes().rules()).isEmpty();
  }

  @Test
  void shippedConfig_onlyTheProbesPrecedeEveryBodyRule() throws Exception {
    Path root = Path.of(System.getProperty("semlb.repoRoot", ".."));
    NativeRoutePlan plan =
        RoutingConfigLoader.load(root.resolve("config/routing.yaml"), false).nativeRoutes();
    assertThat(names(plan)).containsExactly("health-probes");
  }
}
