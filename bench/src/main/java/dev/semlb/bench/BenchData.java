package dev.semlb.bench;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.embedding.OnnxEmbedder;
import dev.semlb.classifier.eval.Evaluator;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.classifier.view.RequestView;
import java.nio.file.Path;
import java.util.List;

/** Shared inputs: the shipped routing config and dataset, found from {@code -Dsemlb.repoRoot}. */
final class BenchData {

  @GuardedBy("BenchData.class")
  private static OnnxEmbedder model;

  private BenchData() {}

  static Path root() {
    return Path.of(System.getProperty("semlb.repoRoot", "."));
  }

  /** The embedding model the shipped config runs (loaded once). */
  static synchronized OnnxEmbedder model() throws Exception {
    if (model == null) {
      model =
          OnnxEmbedder.load(
              RoutingConfigLoader.load(root().resolve("config/routing.yaml")).embedding().model());
    }
    return model;
  }

  /** The shipped config with the model; inference runs on the calling thread. */
  static Pipeline table() throws Exception {
    return Pipeline.build(
        RoutingConfigLoader.load(root().resolve("config/routing.yaml")),
        new ClassifierResources(model(), Runnable::run, Runnable::run));
  }

  /** The shipped config without its decision head (the example stage decides): the baseline. */
  static Pipeline tableWithoutHead() throws Exception {
    return Pipeline.build(
        RoutingConfigLoader.load(root().resolve("config/routing.yaml"))
            .withHead(dev.semlb.classifier.head.HeadSettings.OFF),
        new ClassifierResources(model(), Runnable::run, Runnable::run));
  }

  static List<LabelledRequest> cases() throws Exception {
    return WorkloadFile.read(root().resolve("config/eval/default-cases.jsonl"));
  }

  static RequestView view(Pipeline table, LabelledRequest r) {
    return Evaluator.view(table, r);
  }

  /** A JSON body of about {@code bytes} bytes with realistic keys and words. */
  static String jsonBody(int bytes, long salt) {
    StringBuilder s =
        new StringBuilder(
                "{\"task\":\"score these loan applications with the risk model\",\"salt\":")
            .append(salt)
            .append(",\"items\":[");
    int i = 0;
    while (s.length() < bytes - 40) {
      s.append(i == 0 ? "" : ",")
          .append("{\"applicant\":\"person ")
          .append(i)
          .append("\",\"amount\":")
          .append(1000 + i)
          .append('}');
      i++;
    }
    return s.append("]}").toString();
  }
}
