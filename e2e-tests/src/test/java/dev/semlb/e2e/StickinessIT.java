package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.e2e.support.EnvoyProcess;
import dev.semlb.e2e.support.ModelPoolsStack;
import dev.semlb.wire.WireContract;
import dev.semlb.worker.llm.LlmProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conversation stickiness through the real Envoy (shipped {@code envoy/envoy.yaml}): the LLM
 * routing example ({@code config/examples/llm-models.yaml}: rules, decision head, embedding
 * examples) with a {@code stickiness} section added, demo model servers for code, chat and fast,
 * each serving its own model. A conversation under one {@code x-session-id} whose later turns are
 * ambiguous stays on its pool (stage {@code sticky}); a turn the head is sure belongs elsewhere
 * moves it; a rule (fenced code) moves it; without a session key the same turns are routed by
 * meaning.
 *
 * <p>What is asserted is what a client sees ({@code x-served-by-pool} and the body's {@code model})
 * and what ext-proc-service's admin API reports ({@code /api/decisions}). The turns were chosen for
 * the head model in the tree; {@link #withoutSession_turnsRouteByMeaning} checks first that each is
 * still as ambiguous (or as clear) as the scenario needs, so a retrained head that changes them
 * fails there, with the reason, rather than somewhere obscure.
 */
class StickinessIT {

  private static final String SESSION = "x-session-id";
  private static final double SWITCH_PROBABILITY = 0.9; // the default

  // One conversation, turn by turn (each request carries the turns before it, as chat clients
  // send them). The ambiguous turns: the classifier leans away from code, but below
  // switchProbability. The clear turn: the head is sure it is a quick fact (fast). The fenced
  // turn: a rule (fenced-code, on the whole body) sends it to code. The turns were picked for the
  // head model in the tree; the test checks first that they still are what the scenario needs.
  private static final String CODE_TURN = "fix this TypeError: undefined is not a function";
  private static final String OTHER_ONE = "thanks! what about the other one?"; // head: fast ~0.7
  private static final String SECOND_PART = "and the second part?"; // head: fast ~0.6
  private static final String CLEAR = "what is the tallest mountain in Africa"; // head: fast ~1.0
  private static final String MORE = "can you explain it in more detail?";
  private static final String FENCED =
      "```python\ndef add(a, b): return a - b\n```\nwhy does this return the wrong sum?";
  private static final List<String> CONVERSATION =
      List.of(CODE_TURN, OTHER_ONE, SECOND_PART, CLEAR, MORE, FENCED);
  private static final Set<String> MODEL_STAGES = Set.of("head", "embedding", "cache");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static ModelPoolsStack stack;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Path.of("target/it/stickiness").toAbsolutePath();
    Files.createDirectories(dir);
    Path examples = EnvoyProcess.repoRoot().resolve("config/examples");
    String routing =
        Files.readString(examples.resolve("llm-models.yaml"))
            .replace(
                "model: llm-models-head.json",
                "model: " + examples.resolve("llm-models-head.json").toAbsolutePath());
    assertThat(routing).as("the head model's path was made absolute").contains(examples.toString());
    // As docs/llm-gateway.md#conversation-stickiness says to turn it on; budgetMs raised so a
    // slow CI machine does not turn a head decision into a budget-spent guess (kept by design).
    assertThat(routing).contains("budgetMs: 150");
    routing =
        routing.replace("budgetMs: 150", "budgetMs: 180")
            + "\nstickiness:\n  header: x-session-id\n  ttlSeconds: 600\n";
    Path routingFile = Files.writeString(dir.resolve("routing.yaml"), routing);
    stack =
        ModelPoolsStack.start(
            dir, routingFile, true, model -> new LlmProfile(model, 0, Duration.ZERO, 4), true);
    awaitAndWarm();
  }

  /** Until Envoy routes by meaning; then warms the embedding model and the head (JIT, caches). */
  private static void awaitAndWarm() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        if ("code".equals(chat(null, List.of(FENCED)).pool())) {
          break;
        }
      } catch (java.io.IOException e) {
        // Envoy not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Envoy did not route fenced code to code within 30s");
      }
      Thread.sleep(100);
    }
    for (int i = 0; i < 20; i++) {
      chat(null, List.of("warm-up number " + i + ": tell me something about rivers"));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void session_ambiguousTurnsStay_aClearTurnSwitches_aRuleMovesIt_withoutKeyByMeaning()
      throws Exception {
    // Without a session key: each turn by meaning.
    List<Routed> free = new ArrayList<>();
    for (int turn = 1; turn <= CONVERSATION.size(); turn++) {
      free.add(chat(null, CONVERSATION.subList(0, turn)));
    }
    assertThat(free.get(0).pool()).as(free.get(0).reason()).isEqualTo("code");
    assertThat(free.get(0).stage()).isIn(MODEL_STAGES);
    for (int turn : new int[] {1, 2}) {
      Routed r = free.get(turn);
      assertThat(r.pool())
          .as("turn %d, '%s', leaves code by meaning (%s)", turn + 1, CONVERSATION.get(turn), r)
          .isNotEqualTo("code");
      assertThat(r.stage()).as(r.reason()).isIn(MODEL_STAGES);
      assertThat(r.confidence())
          .as("turn %d must stay ambiguous (%s); pick another turn", turn + 1, r.reason())
          .isLessThan(SWITCH_PROBABILITY);
    }
    Routed clear = free.get(3);
    assertThat(clear.pool()).as(clear.reason()).isEqualTo("fast");
    assertThat(clear.stage()).isIn(MODEL_STAGES);
    assertThat(clear.confidence())
        .as("'%s' must be clear (%s); pick another turn", CLEAR, clear.reason())
        .isGreaterThanOrEqualTo(SWITCH_PROBABILITY);
    assertThat(free.get(5).pool()).isEqualTo("code");
    assertThat(free.get(5).stage()).isIn("rules", "cache");
    assertThat(free).allSatisfy(r -> assertThat(r.stage()).isNotEqualTo("sticky"));

    // The same turns under one x-session-id.
    String session = "conv-" + System.nanoTime();
    List<Routed> kept = new ArrayList<>();
    for (int turn = 1; turn <= CONVERSATION.size(); turn++) {
      kept.add(chat(session, CONVERSATION.subList(0, turn)));
    }
    assertThat(kept.get(0).pool()).as("the first turn as without a key").isEqualTo("code");
    for (int turn : new int[] {1, 2}) {
      Routed r = kept.get(turn);
      assertThat(r.pool()).as("turn %d stays on the session's pool", turn + 1).isEqualTo("code");
      assertThat(r.stage()).isEqualTo("sticky");
      assertThat(r.reason())
          .startsWith("sticky: session kept on code (" + (turn + 1) + " turns); ");
    }
    Routed switched = kept.get(3);
    assertThat(switched.pool()).as("a clear change of subject moves the session").isEqualTo("fast");
    assertThat(switched.stage()).isEqualTo("sticky");
    assertThat(switched.reason()).startsWith("sticky: switched to fast (");
    Routed after = kept.get(4);
    assertThat(after.pool()).as("the session now lives on fast (%s)", after).isEqualTo("fast");
    if (!free.get(4).pool().equals("fast")) {
      assertThat(after.stage()).isEqualTo("sticky");
    }
    Routed rule = kept.get(5);
    assertThat(rule.pool()).as("a rule always wins").isEqualTo("code");
    assertThat(rule.stage()).isIn("rules", "cache");
    assertThat(rule.reason()).endsWith("; sticky: session moved from fast");
  }

  @Test
  void sessionsAreApart_eachKeepsItsOwnPool() throws Exception {
    String a = "conv-a-" + System.nanoTime();
    String b = "conv-b-" + System.nanoTime();
    assertThat(chat(a, List.of(CODE_TURN)).pool()).isEqualTo("code");
    assertThat(chat(b, List.of(CLEAR)).pool()).isEqualTo("fast");
    assertThat(chat(a, List.of(CODE_TURN, OTHER_ONE)).pool()).isEqualTo("code");
    assertThat(chat(b, List.of(CLEAR, OTHER_ONE)).pool()).isEqualTo("fast");
    // A new key starts a new session, routed by meaning as without one.
    Routed fresh = chat("conv-new-" + System.nanoTime(), List.of(CODE_TURN, OTHER_ONE));
    Routed free = chat(null, List.of(CODE_TURN, OTHER_ONE));
    assertThat(fresh.pool()).isEqualTo(free.pool()).isNotEqualTo("code");
    assertThat(fresh.stage()).isNotEqualTo("sticky");
  }

  /** What one request got: the serving pool and model, and ext-proc-service's decision. */
  private record Routed(
      String pool, String model, String stage, String reason, double confidence) {}

  /**
   * Sends a chat completion whose user turns are {@code userTurns} (a placeholder assistant answer
   * between them), with {@code x-session-id: session} unless null; checks the client's view (200,
   * the body's model is the serving pool's) and returns it with the decision it got.
   */
  private static Routed chat(String session, List<String> userTurns) throws Exception {
    List<Map<String, String>> messages = new ArrayList<>();
    for (String turn : userTurns) {
      if (!messages.isEmpty()) {
        messages.add(Map.of("role", "assistant", "content", "Here is my answer."));
      }
      messages.add(Map.of("role", "user", "content", turn));
    }
    long seqBefore = newestDecisionSeq();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + stack.listenerPort() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(15))
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.writeValueAsString(Map.of("model", "auto", "messages", messages))));
    if (session != null) {
      request.header(SESSION, session);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String pool = response.headers().firstValue(WireContract.SERVED_BY_POOL_HEADER).orElseThrow();
    String model = JSON.readTree(response.body()).path("model").asText();
    assertThat(model)
        .as("the body's model is the serving pool's")
        .isEqualTo(ModelPoolsStack.MODELS.get(pool));
    JsonNode decision = decisionAfter(seqBefore);
    assertThat(decision.path("pool").asText())
        .as("the decision names the pool that served")
        .isEqualTo(pool);
    return new Routed(
        pool,
        model,
        decision.path("stage").asText(),
        decision.path("reason").asText(),
        decision.path("confidence").asDouble());
  }

  private static long newestDecisionSeq() throws Exception {
    JsonNode recent = decisions(1);
    return recent.isEmpty() ? 0 : recent.get(0).path("seq").asLong();
  }

  /** The one decision logged after {@code seq} (requests here are sequential). */
  private static JsonNode decisionAfter(long seq) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      JsonNode recent = decisions(5);
      List<JsonNode> newer = new ArrayList<>();
      for (JsonNode d : recent) {
        if (d.path("seq").asLong() > seq) {
          newer.add(d);
        }
      }
      if (!newer.isEmpty()) {
        assertThat(newer).as("one decision per request").hasSize(1);
        return newer.get(0);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no decision after seq " + seq + " within 5s");
      }
      Thread.sleep(20);
    }
  }

  private static JsonNode decisions(int limit) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + stack.extProcAdminPort()
                            + "/api/decisions?limit="
                            + limit))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
