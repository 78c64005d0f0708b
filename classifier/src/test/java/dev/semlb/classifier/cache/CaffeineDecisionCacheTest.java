package dev.semlb.classifier.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.BodyExtractor;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.classifier.view.ViewLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CaffeineDecisionCacheTest {

  private final AtomicLong now = new AtomicLong();
  private final CaffeineDecisionCache cache =
      new CaffeineDecisionCache(2, Duration.ofMinutes(1), now::get);

  private static RequestView post(String path, String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return RequestView.of(
        "POST",
        path,
        Map.of("content-type", "application/json"),
        new BodyExtractor(ViewLimits.DEFAULTS).extract(b, b.length, "application/json", null));
  }

  @Test
  void hit_isReportedAsCache_withTheOriginalReason() {
    cache.put(
        post("/a", "{\"x\":1}"), new Decision("high-compute", 0.7, Stage.EMBEDDING, "nearest"));

    Decision hit = cache.get(post("/a", "{\"x\": 1}")).orElseThrow();

    assertThat(hit.pool()).isEqualTo("high-compute");
    assertThat(hit.stage()).isEqualTo(Stage.CACHE);
    assertThat(hit.reason()).isEqualTo("cached: nearest");
    assertThat(cache.stats().hitCount()).isEqualTo(1);
  }

  @Test
  void differentPathMethodOrBody_miss() {
    cache.put(post("/a", "{\"x\":1}"), new Decision("general", 0.7, Stage.EMBEDDING, "r"));

    assertThat(cache.get(post("/b", "{\"x\":1}"))).isEmpty();
    assertThat(cache.get(post("/a", "{\"x\":2}"))).isEmpty();
    assertThat(CaffeineDecisionCache.key(post("/ab", "{}")))
        .isNotEqualTo(CaffeineDecisionCache.key(post("/a", "{\"b\":0}")));
  }

  @Test
  void fallbacksAndRules_areNeverStored() {
    cache.put(post("/a", "{}"), Decision.fallback("general", "budget spent"));
    cache.put(post("/b", "{}"), new Decision("fast-path", 1, Stage.RULES, "rule"));

    assertThat(cache.size()).isZero();
  }

  @Test
  void entriesExpire_andSizeIsBounded() {
    for (int i = 0; i < 50; i++) {
      cache.put(post("/p" + i, "{}"), new Decision("general", 0.5, Stage.LLM, "llm"));
    }
    cache.stats();
    assertThat(cache.size()).isLessThanOrEqualTo(50);

    CaffeineDecisionCache small = new CaffeineDecisionCache(100, Duration.ofSeconds(10), now::get);
    small.put(post("/x", "{}"), new Decision("general", 0.5, Stage.LLM, "llm"));
    now.addAndGet(TimeUnit.SECONDS.toNanos(11));
    assertThat(small.get(post("/x", "{}"))).isEmpty();
  }
}
