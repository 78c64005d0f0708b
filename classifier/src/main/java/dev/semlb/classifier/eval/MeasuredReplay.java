package dev.semlb.classifier.eval;

import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Outcome;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.cost.CostKey;
import dev.semlb.classifier.cost.CostSample;
import dev.semlb.classifier.cost.CostStats;
import dev.semlb.classifier.cost.MeasuredSettings;
import dev.semlb.classifier.cost.MeasuredStage;
import dev.semlb.classifier.head.HeadTrainer;
import dev.semlb.classifier.view.RequestView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * What the measured stage adds on an API nobody configured: each source in turn is the new API. Its
 * requests are first classified as the pipeline would without measured costs (rules, then the
 * decision head trained without that source, then the other stages); then each request's shape is
 * "served" {@code warmup} times with an upstream time drawn around its labelled pool's typical cost
 * (log-normal), as the access log would report it, and the request is classified again with the
 * measured stage between the rules and the rest.
 *
 * <p>This measures how well request shapes ({@link CostKey}) separate by cost, and what the
 * semantic stages do for the shapes whose cost sits between the classes; it assumes cost is a
 * property of the request (as on real upstreams, unlike the demo workers). Deterministic for a
 * seed. Stateless.
 */
public final class MeasuredReplay {

  /** Spread of the drawn costs (log-normal sigma): about x0.6 to x1.6 for the middle half. */
  public static final double SIGMA = 0.5;

  /**
   * One source's result.
   *
   * @param source the held-out source
   * @param cases its cases
   * @param before accuracy without measured costs (leave-one-source-out head)
   * @param after accuracy after the warm-up, with the measured stage
   * @param measured share of cases the measured stage decided
   * @param wrongRule cases still wrong after: a rule decided them (the measured stage never
   *     overrides one)
   * @param wrongMixed cases still wrong after whose key other cases of another pool share (their
   *     cost is a mix)
   * @param wrongLeft other cases still wrong after that the measured stage left to the semantic
   *     stages (their key's cost fell between the classes)
   * @param wrongCrossed other cases still wrong after that the measured stage decided: their key's
   *     cost lies in another pool's class (a cheap heavy shape, an expensive middle one)
   */
  public record Row(
      String source,
      int cases,
      double before,
      double after,
      double measured,
      int wrongRule,
      int wrongMixed,
      int wrongLeft,
      int wrongCrossed) {}

  private MeasuredReplay() {}

  /**
   * Runs every source.
   *
   * @param config the routing config; its {@code measured} classes are used (the stage is switched
   *     on if it is off)
   * @param costs the typical upstream time of each pool's requests, in milliseconds
   * @param warmup requests replayed per case before it is classified again
   * @param keySigma spread of the shapes' own typical costs around their pool's (log-normal sigma;
   *     0: every shape of a pool is typically as expensive as the pool's cost, as before): real
   *     endpoints of one pool differ, and this shows how much the classes' bounds tolerate that
   */
  public static List<Row> run(
      RoutingConfig config,
      ClassifierResources resources,
      List<LabelledRequest> cases,
      HeadTrainer.Options training,
      Map<String, Double> costs,
      int warmup,
      double keySigma,
      long seed) {
    if (!(keySigma >= 0 && keySigma <= 3)) {
      throw new IllegalArgumentException("keySigma: " + keySigma + " (expected: 0..3)");
    }
    MeasuredSettings m = config.measured();
    if (m.classes().isEmpty()) {
      throw new IllegalArgumentException(
          "measured.classes: none (expected: the config's cost classes, to replay costs against)");
    }
    for (String pool : config.poolNames()) {
      if (!costs.containsKey(pool)) {
        throw new IllegalArgumentException(
            "costs: no cost for pool '"
                + pool
                + "' (expected: one per pool "
                + config.poolNames()
                + ")");
      }
    }
    MeasuredSettings on =
        new MeasuredSettings(true, m.minSamples(), m.maxErrorRate(), m.hysteresis(), m.classes());
    Map<String, List<Integer>> bySource = new TreeMap<>();
    for (int i = 0; i < cases.size(); i++) {
      bySource.computeIfAbsent(source(cases.get(i)), k -> new ArrayList<>()).add(i);
    }
    RoutingConfig semantic = config.withMeasured(MeasuredSettings.OFF);
    Map<String, EvalReport> held =
        SourceEvaluation.leaveOneOut(semantic, resources, cases, bySource, training);
    Pipeline views = Pipeline.build(semantic.withoutRules());
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : bySource.entrySet()) {
      EvalReport before = held.get(e.getKey());
      if (before == null) {
        continue;
      }
      long[] now = {1};
      CostStats stats = new CostStats(1_000_000, Duration.ofDays(1), () -> now[0]);
      List<RequestView> viewed = new ArrayList<>();
      for (int i : e.getValue()) {
        LabelledRequest c = cases.get(i);
        RequestView view = Evaluator.view(views, c);
        viewed.add(view);
        // A shape's own typical cost: fixed per key (and seed), so every case of the key agrees.
        double shape =
            keySigma == 0
                ? 1
                : Math.exp(
                    keySigma * new Random(seed * 31 + view.costKey().hashCode()).nextGaussian());
        double median = costs.get(c.expectedPool()) * shape;
        for (int n = 0; n < warmup; n++) {
          double cost = median * Math.exp(SIGMA * random.nextGaussian());
          stats.record(new CostSample(view.costKey(), "", cost, Double.NaN, 200, 0));
        }
      }
      MeasuredStage stage = new MeasuredStage(stats, on);
      Map<String, java.util.Set<String>> poolsOfKey = new java.util.HashMap<>();
      for (int j = 0; j < viewed.size(); j++) {
        poolsOfKey
            .computeIfAbsent(viewed.get(j).costKey(), k -> new java.util.HashSet<>())
            .add(cases.get(e.getValue().get(j)).expectedPool());
      }
      int rightBefore = 0;
      int rightAfter = 0;
      int decided = 0;
      int wrongRule = 0;
      int wrongMixed = 0;
      int wrongLeft = 0;
      int wrongCrossed = 0;
      List<Evaluator.Result> results = before.results();
      for (int j = 0; j < results.size(); j++) {
        Evaluator.Result r = results.get(j);
        String expected = r.request().expectedPool();
        String pool = r.decision().pool();
        rightBefore += pool.equals(expected) ? 1 : 0;
        boolean byCost = false;
        if (r.decision().stage() != Stage.RULES) {
          Outcome o = stage.decide(viewed.get(j), Deadline.in(Duration.ofSeconds(1)));
          if (o.sure()) {
            pool = o.decision().pool();
            decided++;
            byCost = true;
          }
        }
        if (pool.equals(expected)) {
          rightAfter++;
        } else if (r.decision().stage() == Stage.RULES) {
          wrongRule++;
        } else if (poolsOfKey.get(viewed.get(j).costKey()).size() > 1) {
          wrongMixed++;
        } else if (byCost) {
          wrongCrossed++;
        } else {
          wrongLeft++;
        }
      }
      int n = results.size();
      rows.add(
          new Row(
              e.getKey(),
              n,
              (double) rightBefore / n,
              (double) rightAfter / n,
              (double) decided / n,
              wrongRule,
              wrongMixed,
              wrongLeft,
              wrongCrossed));
    }
    return rows;
  }

  private static String source(LabelledRequest c) {
    return c.source().isEmpty() ? "(none)" : c.source();
  }

  /** A table of the rows with micro and macro totals. */
  public static String format(
      List<Row> rows, Map<String, Double> costs, int warmup, double keySigma, String classes) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%nmeasured replay: each source as a new API, %d requests per case at %s ms (log-normal"
                + " sigma %.1f a request, %.1f a shape); classes %s%n",
            warmup,
            costs,
            SIGMA,
            keySigma,
            classes));
    out.append(
        String.format(
            Locale.ROOT,
            "  %-28s %6s %9s %9s %9s   %s%n",
            "source",
            "cases",
            "before",
            "after",
            "measured",
            "wrong after: rule / mixed key / between classes / in another class"));
    double before = 0;
    double after = 0;
    double macroBefore = 0;
    double macroAfter = 0;
    int total = 0;
    int rule = 0;
    int mixed = 0;
    int left = 0;
    int crossed = 0;
    for (Row r : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-28s %6d %8.1f%% %8.1f%% %8.1f%%   %d / %d / %d / %d%n",
              r.source(),
              r.cases(),
              100 * r.before(),
              100 * r.after(),
              100 * r.measured(),
              r.wrongRule(),
              r.wrongMixed(),
              r.wrongLeft(),
              r.wrongCrossed()));
      rule += r.wrongRule();
      mixed += r.wrongMixed();
      left += r.wrongLeft();
      crossed += r.wrongCrossed();
      before += r.before() * r.cases();
      after += r.after() * r.cases();
      macroBefore += r.before();
      macroAfter += r.after();
      total += r.cases();
    }
    if (total > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-28s %6d %8.1f%% %8.1f%% %9s   %d / %d / %d / %d%n  %-28s %6s %8.1f%% %8.1f%%%n",
              "all (micro)",
              total,
              100 * before / total,
              100 * after / total,
              "",
              rule,
              mixed,
              left,
              crossed,
              "mean of sources (macro)",
              "",
              100 * macroBefore / rows.size(),
              100 * macroAfter / rows.size()));
    }
    return out.toString();
  }
}
