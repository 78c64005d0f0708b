package dev.semlb.classifier.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.BodyKind;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StickyClassifierTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final StickinessSettings ON = StickinessSettings.OFF.withEnabled(true);

  /** Answers the queued decisions in order. */
  private final Deque<Decision> answers = new ArrayDeque<>();

  private final AtomicLong nanos = new AtomicLong();

  private StickyClassifier sticky(StickinessSettings settings) {
    return new StickyClassifier(r -> answers.removeFirst(), settings, nanos::get);
  }

  private static RequestView session(String id) {
    return RequestView.of(
        "POST", "/v1/chat/completions", Map.of("X-Session-Id", id), BodyView.EMPTY);
  }

  private static RequestView body(String json) throws Exception {
    return RequestView.of(
        "POST",
        "/v1/chat/completions",
        Map.of("content-type", "application/json"),
        new BodyView(BodyKind.PROMPT, "hi", JSON.readTree(json), json.length(), false));
  }

  private static Decision head(String pool, double p) {
    return new Decision(pool, p, Stage.HEAD, "head: " + pool + " " + p);
  }

  private Decision send(StickyClassifier c, RequestView r, Decision answer) {
    answers.add(answer);
    return c.classify(r);
  }

  @Test
  void firstTurn_isTheClassifiersDecision_laterUnsureTurnsKeepTheSessionPool() {
    StickyClassifier c = sticky(ON);
    Decision first = head("code", 0.8);
    assertThat(send(c, session("s1"), first)).isEqualTo(first);
    assertThat(send(c, session("s1"), head("code", 0.7))).isEqualTo(head("code", 0.7));
    Decision kept = send(c, session("s1"), head("chat", 0.6));
    assertThat(kept.pool()).isEqualTo("code");
    assertThat(kept.stage()).isEqualTo(Stage.STICKY);
    assertThat(kept.reason())
        .isEqualTo("sticky: session kept on code (3 turns); head said chat 0.60");
    Decision fallback = send(c, session("s1"), Decision.fallback("chat", "no stage was sure"));
    assertThat(fallback.pool()).isEqualTo("code");
  }

  @Test
  void sureModelStage_atSwitchProbability_movesTheSession() {
    StickyClassifier c = sticky(ON);
    send(c, session("s1"), head("code", 0.8));
    Decision switched = send(c, session("s1"), head("chat", 0.95));
    assertThat(switched.pool()).isEqualTo("chat");
    assertThat(switched.stage()).isEqualTo(Stage.STICKY);
    assertThat(switched.reason()).startsWith("sticky: switched to chat (head 0.95); head: chat");
    assertThat(send(c, session("s1"), head("code", 0.6)).pool()).isEqualTo("chat");
    Decision cached = new Decision("fast", 0.9, Stage.CACHE, "cached: head: fast 0.9");
    assertThat(send(c, session("s1"), cached).reason())
        .startsWith("sticky: switched to fast (cache 0.90)");
  }

  @Test
  void budgetSpentGuess_neverMovesTheSession() {
    StickyClassifier c = sticky(ON);
    send(c, session("s1"), head("code", 0.8));
    Decision guess = new Decision("chat", 0.99, Stage.HEAD, "head: chat; budget spent, best guess");
    assertThat(send(c, session("s1"), guess).pool()).isEqualTo("code");
  }

  @Test
  void rules_alwaysWin_andMoveTheSession() {
    StickyClassifier c = sticky(ON);
    send(c, session("s1"), head("chat", 0.8));
    Decision rule = new Decision("code", 0.2, Stage.RULES, "rule 'fenced-code'");
    Decision d = send(c, session("s1"), rule);
    assertThat(d.pool()).isEqualTo("code");
    assertThat(d.stage()).isEqualTo(Stage.RULES);
    assertThat(d.reason()).isEqualTo("rule 'fenced-code'; sticky: session moved from chat");
    assertThat(send(c, session("s1"), head("chat", 0.7)).pool()).isEqualTo("code");
  }

  @Test
  void requestsWithoutKey_orWithTooLongAKey_areNotSticky() {
    StickyClassifier c = sticky(ON);
    RequestView none = RequestView.of("POST", "/", Map.of(), BodyView.EMPTY);
    send(c, none, head("code", 0.8));
    assertThat(send(c, none, head("chat", 0.5)).pool()).isEqualTo("chat");
    String longKey = "k".repeat(257);
    send(c, session(longKey), head("code", 0.8));
    assertThat(send(c, session(longKey), head("chat", 0.5)).pool()).isEqualTo("chat");
    assertThat(c.sessions()).isZero();
  }

  @Test
  void sessionsAreSeparate_andDigestsDoNotHoldTheKey() {
    StickyClassifier c = sticky(ON);
    send(c, session("alice"), head("code", 0.8));
    send(c, session("bob"), head("chat", 0.8));
    assertThat(send(c, session("alice"), head("chat", 0.5)).pool()).isEqualTo("code");
    assertThat(send(c, session("bob"), head("code", 0.5)).pool()).isEqualTo("chat");
    SessionKeys keys = new SessionKeys(ON);
    SessionKeys.Id id = keys.of(session("alice"));
    assertThat(id.toString()).doesNotContain("alice").matches("session [0-9a-f]{8}");
    assertThat(new SessionKeys(ON).of(session("alice"))).isNotEqualTo(id); // salted per instance
  }

  @Test
  void sessionExpires_ttlAfterItsLastTurn() {
    StickyClassifier c = sticky(ON);
    send(c, session("s1"), head("code", 0.8));
    nanos.addAndGet(TimeUnit.MINUTES.toNanos(29));
    assertThat(send(c, session("s1"), head("chat", 0.5)).pool()).isEqualTo("code");
    nanos.addAndGet(
        TimeUnit.MINUTES.toNanos(29)); // 58 minutes after the first turn, 29 after the last
    assertThat(send(c, session("s1"), head("chat", 0.5)).pool()).isEqualTo("code");
    nanos.addAndGet(TimeUnit.MINUTES.toNanos(31));
    Decision fresh = send(c, session("s1"), head("chat", 0.5));
    assertThat(fresh).isEqualTo(head("chat", 0.5));
  }

  @Test
  void sessionsAreBounded() {
    StickyClassifier c =
        sticky(
            new StickinessSettings(
                true, "x-session-id", List.of(), Duration.ofMinutes(30), 10, 0.9, 256));
    for (int i = 0; i < 1000; i++) {
      send(c, session("s" + i), head("code", 0.8));
    }
    assertThat(c.sessions()).isLessThanOrEqualTo(10);
  }

  @Test
  void bodyFields_areRead_afterTheHeader() throws Exception {
    StickinessSettings settings =
        new StickinessSettings(
            true,
            "x-conversation",
            List.of("metadata.session_id", "user"),
            Duration.ofMinutes(30),
            100,
            0.9,
            256);
    SessionKeys keys = new SessionKeys(settings, new byte[16]);
    assertThat(keys.raw(body("{\"metadata\": {\"session_id\": \"m1\"}, \"user\": \"u1\"}")))
        .isEqualTo("m1");
    assertThat(keys.raw(body("{\"user\": \"u1\"}"))).isEqualTo("u1");
    assertThat(keys.raw(body("{\"user\": {\"id\": 1}}"))).isNull();
    assertThat(keys.raw(body("{\"metadata\": \"flat\", \"user\": 42}"))).isEqualTo("42");
    RequestView both =
        RequestView.of(
            "POST",
            "/",
            Map.of("X-Conversation", " h1 "),
            new BodyView(BodyKind.JSON, "", JSON.readTree("{\"user\": \"u1\"}"), 10, false));
    assertThat(keys.raw(both)).isEqualTo("h1");
    assertThat(new SessionKeys(ON).raw(body("{\"user\": \"u1\"}"))).isNull(); // not by default
  }

  @Test
  void settings_areValidated() {
    assertThatThrownBy(
            () ->
                new StickinessSettings(
                    true, "x-session-id", List.of(), Duration.ofSeconds(-1), 10, 0.9, 256))
        .hasMessage("ttlSeconds: -1 (expected: > 0)");
    assertThatThrownBy(
            () ->
                new StickinessSettings(
                    true, "x-session-id", List.of(), Duration.ofMinutes(1), 0, 0.9, 256))
        .hasMessage("maxSessions: 0 (expected: >= 1)");
    assertThatThrownBy(
            () ->
                new StickinessSettings(
                    true, "x-session-id", List.of(), Duration.ofMinutes(1), 10, 0, 256))
        .hasMessage("switchProbability: 0.0 (expected: 0 < p <= 1)");
    assertThatThrownBy(
            () ->
                new StickinessSettings(
                    true, "bad header", List.of(), Duration.ofMinutes(1), 10, 0.9, 256))
        .hasMessageStartingWith("header: 'bad header'");
    assertThatThrownBy(
            () ->
                new StickinessSettings(
                    true, "x-s", List.of("a..b"), Duration.ofMinutes(1), 10, 0.9, 256))
        .hasMessageStartingWith("bodyFields: 'a..b'");
  }
}
