package dev.semlb.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.config.Flags;
import dev.semlb.worker.WorkerConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmProfileTest {

  private static WorkerConfig flags(Map<String, String> env, String... args) {
    Flags flags = Flags.parse(args, env);
    WorkerConfig config = WorkerConfig.fromFlags(flags);
    flags.rejectUnknown();
    return config;
  }

  @Test
  void flags_withoutLlmModel_keepTheEchoWorker() {
    assertThat(flags(Map.of(), "--pool", "general").llm()).isNull();
  }

  @Test
  void flags_buildTheProfile_withDefaults() {
    LlmProfile llm = flags(Map.of(), "--pool", "code", "--llm-model", "semlb-code-7b").llm();

    assertThat(llm.model()).isEqualTo("semlb-code-7b");
    assertThat(llm.tokensPerSecond()).isEqualTo(50);
    assertThat(llm.timeToFirstToken()).isEqualTo(Duration.ofMillis(200));
    assertThat(llm.replyTokens()).isEqualTo(LlmProfile.DEFAULT_REPLY_TOKENS);
  }

  @Test
  void flags_andVariables_setEveryField() {
    LlmProfile llm =
        flags(
                Map.of("SEMLB_LLM_MODEL", "semlb-fast-1b", "SEMLB_LLM_TTFT", "40ms"),
                "--pool",
                "fast",
                "--llm-tokens-per-second",
                "120.5",
                "--llm-reply-tokens",
                "8")
            .llm();

    assertThat(llm).isEqualTo(new LlmProfile("semlb-fast-1b", 120.5, Duration.ofMillis(40), 8));
  }

  @Test
  void flags_llmTuningWithoutAModel_isAnUnknownFlag() {
    assertThatThrownBy(() -> flags(Map.of(), "--pool", "code", "--llm-ttft", "1s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("llm-ttft");
  }

  @Test
  void flags_badRate_namesTheFlag() {
    assertThatThrownBy(
            () ->
                flags(
                    Map.of(),
                    "--pool",
                    "code",
                    "--llm-model",
                    "m",
                    "--llm-tokens-per-second",
                    "fast"))
        .hasMessage("--llm-tokens-per-second: 'fast' (expected: a number >= 0; 0 for no pacing)");
  }

  @Test
  void validation_saysWhatWasExpected() {
    assertThatThrownBy(() -> new LlmProfile("two words", 1, Duration.ZERO, 1))
        .hasMessage("model: 'two words' (expected: 1-256 characters, no whitespace)");
    assertThatThrownBy(() -> new LlmProfile("m", -1, Duration.ZERO, 1))
        .hasMessage("tokensPerSecond: -1.0 (expected: a finite number >= 0)");
    assertThatThrownBy(() -> new LlmProfile("m", 1, Duration.ofMillis(-1), 1))
        .hasMessage("timeToFirstToken: PT-0.001S (expected: >= 0)");
    assertThatThrownBy(() -> new LlmProfile("m", 1, Duration.ZERO, 0))
        .hasMessage("replyTokens: 0 (expected: 1..100000)");
  }

  @Test
  void dueNanos_firstTokenAtTtft_thenOnePerInterval() {
    LlmProfile paced = new LlmProfile("m", 10, Duration.ofMillis(200), 5);
    LlmProfile unpaced = new LlmProfile("m", 0, Duration.ofMillis(200), 5);

    assertThat(paced.dueNanos(0)).isEqualTo(200_000_000L);
    assertThat(paced.dueNanos(3)).isEqualTo(500_000_000L);
    assertThat(unpaced.dueNanos(4)).isEqualTo(200_000_000L);
  }

  @Test
  void words_countsWhitespaceSeparatedWords() {
    assertThat(CompletionRequest.words("")).isZero();
    assertThat(CompletionRequest.words("  a\tb\n\nc  ")).isEqualTo(3);
  }
}
