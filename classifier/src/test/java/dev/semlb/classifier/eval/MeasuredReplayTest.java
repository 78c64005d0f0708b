package dev.semlb.classifier.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.cost.CostClass;
import dev.semlb.classifier.cost.MeasuredSettings;
import dev.semlb.classifier.head.HeadTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeasuredReplayTest {

  private static final Map<String, Double> COSTS =
      Map.of("fast-path", 4.0, "general", 45.0, "high-compute", 380.0);
  private static final HeadTrainer.Options SIGNALS_ONLY =
      new HeadTrainer.Options(1.0, 0, 48, 1.0, false, Set.of());

  private static RoutingConfig config(String... classes) throws Exception {
    RoutingConfig shipped = RoutingConfigLoader.load(Path.of("../config/routing.yaml"), false);
    List<CostClass> parsed = new ArrayList<>();
    for (String c : classes) {
      String[] kv = c.split(":", 2);
      parsed.add(CostClass.parse(kv[0], kv[1]));
    }
    return shipped.withoutRules().withMeasured(new MeasuredSettings(false, 20, 0.5, 0.25, parsed));
  }

  private static List<LabelledRequest> cases() {
    List<LabelledRequest> cases = new ArrayList<>();
    for (String source : List.of("api-a", "api-b")) {
      String p = "/" + source;
      cases.add(new LabelledRequest("fast-path", "GET", p + "/items/1", "", "", source));
      cases.add(new LabelledRequest("general", "POST", p + "/items", "", "", source));
      cases.add(new LabelledRequest("high-compute", "POST", p + "/exports", "", "", source));
    }
    // One path template for a cheap read and a heavy one: a key with a mixed cost.
    cases.add(new LabelledRequest("fast-path", "GET", "/api-b/files/1", "", "", "api-b"));
    cases.add(new LabelledRequest("high-compute", "GET", "/api-b/files/2", "", "", "api-b"));
    return cases;
  }

  @Test
  void everyPoolWithAClass_decidesEveryShapeWithEvidence_butAMixedKeyStaysWrong() throws Exception {
    RoutingConfig config =
        config("fast-path: p50 <= 25ms", "high-compute: p50 >= 250ms", "general: p50 <= 250ms");

    List<MeasuredReplay.Row> rows =
        MeasuredReplay.run(
            config, ClassifierResources.NONE, cases(), SIGNALS_ONLY, COSTS, 20, 0, 42);

    assertThat(rows).extracting(MeasuredReplay.Row::source).containsExactly("api-a", "api-b");
    MeasuredReplay.Row a = rows.get(0);
    assertThat(a.after()).isEqualTo(1.0);
    assertThat(a.measured()).isEqualTo(1.0);
    MeasuredReplay.Row b = rows.get(1);
    // The files key mixes 4 ms and 380 ms: one of its two cases is wrong whatever is decided.
    assertThat(b.after()).isEqualTo(4.0 / 5);
    assertThat(b.wrongMixed()).isEqualTo(1);
    assertThat(b.wrongRule() + b.wrongLeft() + b.wrongCrossed()).isZero();
    assertThat(MeasuredReplay.format(rows, COSTS, 20, 0, "classes"))
        .contains("wrong after: rule / mixed key / between classes / in another class")
        .contains("0 / 1 / 0 / 0");
  }

  @Test
  void withoutAMiddleClass_theMiddleIsLeftToTheSemanticStages() throws Exception {
    RoutingConfig config = config("fast-path: p50 <= 25ms", "high-compute: p50 >= 250ms");

    List<MeasuredReplay.Row> rows =
        MeasuredReplay.run(
            config, ClassifierResources.NONE, cases(), SIGNALS_ONLY, COSTS, 20, 0, 42);

    MeasuredReplay.Row a = rows.get(0);
    // Two of the three shapes are decided by cost; the general one is not.
    assertThat(a.measured()).isEqualTo(2.0 / 3);
    assertThat(a.wrongMixed()).isZero();
    assertThat(a.after()).isGreaterThanOrEqualTo(2.0 / 3);
    assertThat(a.wrongCrossed()).isZero();
  }

  @Test
  void shapesSpreadAroundTheirPoolsCost_canLandInAnotherClass() throws Exception {
    RoutingConfig config =
        config("fast-path: p50 <= 25ms", "high-compute: p50 >= 250ms", "general: p50 <= 250ms");

    // A spread of x20 (sigma 3) puts some shapes far from their pool's typical cost.
    List<MeasuredReplay.Row> rows =
        MeasuredReplay.run(
            config, ClassifierResources.NONE, cases(), SIGNALS_ONLY, COSTS, 20, 3, 42);

    assertThat(rows.stream().mapToInt(MeasuredReplay.Row::wrongCrossed).sum()).isPositive();
    assertThat(rows.stream().mapToInt(MeasuredReplay.Row::wrongLeft).sum()).isZero();
  }
}
