package dev.semlb.extproc.eval;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.embedding.OnnxEmbedder;
import dev.semlb.classifier.eval.HeadExamples;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.head.HeadModel;
import dev.semlb.classifier.head.HeadModelFile;
import dev.semlb.classifier.head.HeadTrainer;
import dev.semlb.classifier.signals.Signal;
import dev.semlb.config.ConfigException;
import dev.semlb.config.Flags;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar ext-proc-service.jar train --config F --data CASES[,MORE] --out MODEL.json [--c
 * 1.0] [--embedding-weight 1.0] [--signals-only] [--max-words N] [--balance-sources]
 * [--exclude-signals A,B]}: trains the decision head on labelled requests (each with a {@code
 * source}) for the config's pools and writes the model file that the config's {@code head.model}
 * names. Deterministic: the same inputs give the same file. {@code --max-words} defaults to the
 * config's {@code embedding.maxWords}: the head and the example stage then embed the same summary
 * of a request, so a request the head is unsure of costs one model call, not two.
 */
public final class TrainCommand {

  private TrainCommand() {}

  /** Runs the command; returns the process exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      Flags flags = Flags.parse(args, env);
      Path config = flags.existingFile("config", "config/routing.yaml");
      List<Path> data = CommandInputs.files(flags, "data", null);
      String outFile = flags.string("out", null);
      if (outFile == null) {
        throw new IllegalArgumentException("--out: missing (expected: the model file to write)");
      }
      HeadTrainer.Options flagged = options(flags);
      flags.rejectUnknown();

      RoutingConfig routing = RoutingConfigLoader.load(config, false);
      HeadTrainer.Options options = forConfig(flagged, routing);
      List<LabelledRequest> cases = CommandInputs.read(data);
      Pipeline table = Pipeline.build(routing);
      List<HeadTrainer.Example> examples =
          HeadExamples.of(
              table,
              cases,
              options.embeddingDim() > 0 ? OnnxEmbedder.load(routing.embedding().model()) : null,
              options.maxWords());
      HeadModel model =
          HeadTrainer.train(examples, routing.poolNames(), options)
              .withEmbeddingModel(
                  options.embeddingDim() > 0 ? routing.embedding().model().id() : "");
      HeadModelFile.write(model, Path.of(outFile));
      out.printf("semlb train: %d examples from %s -> %s%n", examples.size(), data, outFile);
      out.printf(
          "  pools %s, %d features (%d signals + %d embedding), c %.3g, temperature %.2f%n",
          model.pools(),
          model.features(),
          model.signals().size(),
          model.embeddingDim(),
          options.c(),
          model.temperature());
      out.printf(
          "  by pool %s%n  by source %s%n",
          model.training().get("byPool"), model.training().get("bySource"));
      out.println(
          "  measure it: scripts/eval.sh --config "
              + config
              + " --data "
              + flags.string("data", ""));
      return 0;
    } catch (IllegalArgumentException | ConfigException | IOException e) {
      err.println("train: " + e.getMessage());
      return 2;
    }
  }

  /**
   * The training settings from {@code --c}, {@code --embedding-weight}, {@code --signals-only},
   * {@code --max-words}, {@code --balance-sources} and {@code --exclude-signals}; without {@code
   * --max-words}, maxWords is 0 until {@link #forConfig} sets the config's.
   */
  static HeadTrainer.Options options(Flags flags) {
    double c = CommandInputs.number(flags, "c", 1.0, 1e-4, 1e4);
    boolean signalsOnly = flags.bool("signals-only", false);
    int maxWords = flags.integer("max-words", 0, 4, 256);
    double embeddingWeight = CommandInputs.number(flags, "embedding-weight", 1.0, 0.001, 1);
    boolean balanceSources = flags.bool("balance-sources", false);
    Set<Signal> excluded = signals(flags.string("exclude-signals", ""));
    return new HeadTrainer.Options(
        c,
        signalsOnly ? 0 : OnnxEmbedder.DIMENSIONS,
        maxWords,
        embeddingWeight,
        balanceSources,
        excluded);
  }

  /** {@code options}, with the config's {@code embedding.maxWords} unless --max-words was given. */
  static HeadTrainer.Options forConfig(HeadTrainer.Options options, RoutingConfig routing) {
    if (options.maxWords() > 0) {
      return options;
    }
    return new HeadTrainer.Options(
        options.c(),
        options.embeddingDim(),
        routing.embedding().maxWords(),
        options.embeddingWeight(),
        options.balanceSources(),
        options.excludedSignals());
  }

  /** Comma-separated signal names, e.g. {@code PROMPT_SYSTEM,PROMPT_TURNS}. */
  static Set<Signal> signals(String raw) {
    Set<Signal> out = EnumSet.noneOf(Signal.class);
    for (String part : raw.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      try {
        out.add(Signal.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--exclude-signals: '"
                + name
                + "' (expected: signal names as in a head model file's \"signals\", e.g."
                + " PROMPT_SYSTEM)");
      }
    }
    return out;
  }
}
