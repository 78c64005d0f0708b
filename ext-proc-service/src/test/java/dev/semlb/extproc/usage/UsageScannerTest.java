package dev.semlb.extproc.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageScannerTest {

  private static final String CHAT_JSON =
      """
      {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"demo-code-7b",
       "choices":[{"index":0,"message":{"role":"assistant","content":"Use a \\"usage\\":{\\"prompt_tokens\\":999} map"},
       "finish_reason":"stop"}],
       "usage":{"prompt_tokens":7,"completion_tokens":64,"total_tokens":71,
        "prompt_tokens_details":{"cached_tokens":5},"completion_tokens_details":{"reasoning_tokens":3}}}
      """;

  private static final String CHAT_SSE =
      """
      data: {"id":"c","object":"chat.completion.chunk","model":"demo-fast-1b","choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null}

      data: {"id":"c","object":"chat.completion.chunk","model":"demo-fast-1b","choices":[{"index":0,"delta":{"content":"Demo"}}],"usage":null}

      data: {"id":"c","object":"chat.completion.chunk","model":"demo-fast-1b","choices":[{"index":0,"delta":{},"finish_reason":"length"}],"usage":null}

      data: {"id":"c","object":"chat.completion.chunk","model":"demo-fast-1b","choices":[],"usage":{"prompt_tokens":6,"completion_tokens":16,"total_tokens":22}}

      data: [DONE]

      """;

  private static final String ANTHROPIC_SSE =
      """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-x","usage":{"input_tokens":25,"cache_read_input_tokens":100,"output_tokens":1}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: ping
      data: {"type": "ping"}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}

      event: message_stop
      data: {"type":"message_stop"}

      """;

  private static final String RESPONSES_SSE =
      """
      event: response.created
      data: {"type":"response.created","response":{"id":"r","model":"gpt-x","instructions":"be brief","text":{"format":{"type":"text"}},"usage":null}}

      event: response.output_text.delta
      data: {"type":"response.output_text.delta","item_id":"m","delta":"Hi"}

      event: response.completed
      data: {"type":"response.completed","response":{"id":"r","model":"gpt-x","usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":0},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":123}}}

      """;

  private static UsageScanner scanWhole(String body) {
    UsageScanner scanner = new UsageScanner();
    scanner.feed(body.getBytes(StandardCharsets.UTF_8));
    scanner.end();
    return scanner;
  }

  /** Feeds one byte per chunk: every state must survive any chunk boundary. */
  private static UsageScanner scanBytewise(String body) {
    UsageScanner scanner = new UsageScanner();
    for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
      scanner.feed(new byte[] {b});
    }
    scanner.end();
    return scanner;
  }

  @Test
  void chatJson_usageAndModel_nestedDetailsAndEscapedTextIgnored() {
    for (UsageScanner s : new UsageScanner[] {scanWhole(CHAT_JSON), scanBytewise(CHAT_JSON)}) {
      assertThat(s.usage()).isTrue();
      assertThat(s.promptTokens()).isEqualTo(7);
      assertThat(s.completionTokens()).isEqualTo(64);
      assertThat(s.model()).isEqualTo("demo-code-7b");
      assertThat(s.content()).isTrue();
    }
  }

  @Test
  void chatStream_lastChunkUsage_acrossAnyChunkBoundary() {
    UsageScanner s = scanBytewise(CHAT_SSE);

    assertThat(s.usage()).isTrue();
    assertThat(s.promptTokens()).isEqualTo(6);
    assertThat(s.completionTokens()).isEqualTo(16);
    assertThat(s.model()).isEqualTo("demo-fast-1b");
  }

  @Test
  void chatStream_roleOnlyFirstChunk_isNotContent_theFirstTokenIs() {
    String[] events = CHAT_SSE.split("\n\n");
    UsageScanner s = new UsageScanner();

    s.feed((events[0] + "\n\n").getBytes(StandardCharsets.UTF_8));
    assertThat(s.content()).isFalse();
    s.feed((events[1] + "\n\n").getBytes(StandardCharsets.UTF_8));
    assertThat(s.content()).isTrue();
  }

  @Test
  void streamWithoutIncludeUsage_hasNoUsage() {
    String body = CHAT_SSE.replaceAll("(?m)^data: \\{[^\\n]*\"choices\":\\[\\],[^\\n]*\\n\\n", "");

    UsageScanner s = scanWhole(body);

    assertThat(s.usage()).isFalse();
    assertThat(s.promptTokens()).isEqualTo(-1);
    assertThat(s.completionTokens()).isEqualTo(-1);
  }

  @Test
  void anthropicStream_inputFromMessageStart_outputFromTheLastMessageDelta() {
    UsageScanner s = scanBytewise(ANTHROPIC_SSE);

    assertThat(s.usage()).isTrue();
    assertThat(s.promptTokens()).isEqualTo(25);
    assertThat(s.completionTokens()).isEqualTo(15);
    assertThat(s.model()).isEqualTo("claude-x");
  }

  @Test
  void anthropicStream_contentStartsAtTheFirstTextDelta() {
    int delta = ANTHROPIC_SSE.indexOf("event: content_block_delta");
    UsageScanner s = new UsageScanner();

    s.feed(ANTHROPIC_SSE.substring(0, delta).getBytes(StandardCharsets.UTF_8));
    assertThat(s.content()).isFalse();
    s.feed(ANTHROPIC_SSE.substring(delta).getBytes(StandardCharsets.UTF_8));
    assertThat(s.content()).isTrue();
  }

  @Test
  void responsesApiStream_usageOfResponseCompleted_contentAtTheFirstDelta() {
    int delta = RESPONSES_SSE.indexOf("event: response.output_text.delta");
    UsageScanner before = scanWhole(RESPONSES_SSE.substring(0, delta));
    UsageScanner s = scanBytewise(RESPONSES_SSE);

    assertThat(before.content()).isFalse();
    assertThat(s.content()).isTrue();
    assertThat(s.promptTokens()).isEqualTo(36);
    assertThat(s.completionTokens()).isEqualTo(87);
    assertThat(s.model()).isEqualTo("gpt-x");
  }

  @Test
  void spacedJson_asPythonWritesIt_readsTheSame() {
    String body =
        "{\"model\": \"m1\", \"choices\": [{\"text\": \"hi\"}], \"usage\": {\"prompt_tokens\": 3,"
            + " \"completion_tokens\": 4}}";

    UsageScanner s = scanBytewise(body);

    assertThat(s.promptTokens()).isEqualTo(3);
    assertThat(s.completionTokens()).isEqualTo(4);
    assertThat(s.model()).isEqualTo("m1");
  }

  @Test
  void ollamaNdjson_evalCounts() {
    String body =
        """
        {"model":"llama3.2:1b","message":{"role":"assistant","content":"Hi"},"done":false}
        {"model":"llama3.2:1b","message":{"role":"assistant","content":""},"done":true,"prompt_eval_count":26,"eval_count":298}
        """;

    UsageScanner s = scanBytewise(body);

    assertThat(s.usage()).isTrue();
    assertThat(s.promptTokens()).isEqualTo(26);
    assertThat(s.completionTokens()).isEqualTo(298);
    assertThat(s.model()).isEqualTo("llama3.2:1b");
  }

  @Test
  void usageAsAStringValue_orNull_isNotUsage() {
    UsageScanner s =
        scanWhole("{\"type\":\"usage\",\"usage\":null,\"note\":\"usage\",\"x\":{\"usage\":\"n\"}}");

    assertThat(s.usage()).isFalse();
  }

  @Test
  void errorBody_hasNoUsageNoModel() {
    UsageScanner s =
        scanWhole(
            "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit\",\"code\":429}}");

    assertThat(s.usage()).isFalse();
    assertThat(s.model()).isNull();
  }

  @Test
  void numberAtTheVeryEnd_countsOnEnd() {
    UsageScanner s = new UsageScanner();
    s.feed("{\"usage\":{\"prompt_tokens\":12".getBytes(StandardCharsets.US_ASCII));

    s.end();

    assertThat(s.promptTokens()).isEqualTo(12);
  }
}
