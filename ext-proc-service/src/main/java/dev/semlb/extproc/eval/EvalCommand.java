package dev.semlb.extproc.eval;

import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.config.RoutingTable;
import dev.semlb.classifier.embedding.MiniLmEmbedder;
import dev.semlb.classifier.eval.EvalReport;
import dev.semlb.classifier.eval.Evaluator;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.config.ConfigException;
import dev.semlb.config.Flags;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar ext-proc-service.jar eval --config F --data CASES [--no-rules]
 * [--no-embedding] [--errors] [--warmup N]}: classifies labelled cases with the real
 * pipeline and prints accuracy, per-pool precision/recall, the confusion matrix, the share
 * decided by each stage and latency. Cases are {@code .jsonl} or {@code .tsv}.
 */
public final class EvalCommand {

  private EvalCommand() {}

  /** Runs the command; returns the process exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      Flags flags = Flags.parse(args, env);
      Path config = flags.existingFile("config", "config/routing.yaml");
      Path data = flags.existingFile("data", null);
      boolean noRules = flags.bool("no-rules", false);
      boolean noEmbedding = flags.bool("no-embedding", false);
      boolean errors = flags.bool("errors", false);
      int warmup = flags.integer("warmup", 50, 0, 100_000);
      flags.rejectUnknown();

      RoutingConfig routing = RoutingConfigLoader.load(config);
      if (noRules) {
        routing = routing.withoutRules();
      }
      // Measure classification, not caching: every case is new to the table.
      ClassifierResources resources = noEmbedding ? ClassifierResources.NONE
          : new ClassifierResources(MiniLmEmbedder.load(), Runnable::run, Runnable::run);
      List<LabelledRequest> cases = WorkloadFile.read(data);
      RoutingTable warm = RoutingTable.build(routing, resources);
      for (int i = 0; i < warmup && !cases.isEmpty(); i++) {
        warm.classifier().classify(Evaluator.view(warm, cases.get(i % cases.size())));
      }
      RoutingTable table = RoutingTable.build(routing, resources);
      EvalReport report = Evaluator.run(table, cases);
      out.printf("semlb eval: %s on %s%s%s%n", config, data, noRules ? " (rules off)" : "",
          noEmbedding ? " (embedding off)" : "");
      out.print(report.format(errors));
      return 0;
    } catch (IllegalArgumentException | ConfigException | IOException e) {
      err.println("eval: " + e.getMessage());
      return 2;
    }
  }
}
