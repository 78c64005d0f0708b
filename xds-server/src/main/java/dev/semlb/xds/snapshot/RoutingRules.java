package dev.semlb.xds.snapshot;

import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.envoyroute.NativeRoutePlan;
import dev.semlb.classifier.envoyroute.NativeRule;
import dev.semlb.config.ConfigException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the classifier's {@code routing.yaml} (with the classifier's own loader, the head model
 * unread) for the rules Envoy's route table can decide itself. Stateless.
 */
public final class RoutingRules {

  private static final Logger log = LoggerFactory.getLogger(RoutingRules.class);

  private RoutingRules() {}

  /**
   * The native route plan of {@code file}, or empty (logged as an error) when the file is rejected;
   * the caller then keeps what it serves.
   */
  public static Optional<NativeRoutePlan> read(Path file) {
    try {
      RoutingConfig config = RoutingConfigLoader.load(file, false);
      NativeRoutePlan plan = config.nativeRoutes();
      log.info(
          "{}: {} of {} rules decided in Envoy's route table{}{}",
          file,
          plan.rules().size(),
          config.rules().size(),
          config.envoyRoutes() ? "" : " (envoyRoutes.enabled: false)",
          plan.rules().isEmpty()
              ? ""
              : ": " + plan.rules().stream().map(NativeRule::routeName).toList());
      return Optional.of(plan);
    } catch (ConfigException e) {
      log.error("routing file rejected, native routes unchanged: {}", e.getMessage());
      return Optional.empty();
    }
  }
}
