package dev.semlb.classifier.config;

/** YAML shared by the routing config loader tests. */
final class RoutingYaml {

  /** Two pools, {@code fast-path} and {@code general} (the default), and nothing else. */
  static final String POOLS =
      """
      defaultPool: general
      pools:
        - name: fast-path
        - name: general
      """;

  private RoutingYaml() {}
}
