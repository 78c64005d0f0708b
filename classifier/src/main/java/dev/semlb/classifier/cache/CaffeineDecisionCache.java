package dev.semlb.classifier.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.DecisionCache;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.view.RequestView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A bounded, expiring cache of sure decisions, keyed on a 128-bit hash of the normalized request
 * view (method, path, query, content type, extracted body text). Only decisions of the model stages
 * are stored; fallbacks never are. A hit is reported as stage {@code cache} with the original
 * reason. Thread-safe (Caffeine).
 */
public final class CaffeineDecisionCache implements DecisionCache {

  /** A 128-bit request hash; collisions are negligible at cache sizes. */
  record Key(long a, long b) {}

  private final Cache<Key, Decision> cache;

  /** A cache of at most {@code maxEntries} decisions, each kept for {@code ttl}. */
  public CaffeineDecisionCache(long maxEntries, Duration ttl, Ticker ticker) {
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfterWrite(ttl)
            .ticker(ticker)
            .recordStats()
            .build();
  }

  @Override
  public Optional<Decision> get(RequestView request) {
    Decision hit = cache.getIfPresent(key(request));
    if (hit == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Decision(hit.pool(), hit.confidence(), Stage.CACHE, "cached: " + hit.reason()));
  }

  @Override
  public void put(RequestView request, Decision decision) {
    if (decision.stage() == Stage.HEAD
        || decision.stage() == Stage.EMBEDDING
        || decision.stage() == Stage.LLM) {
      cache.put(key(request), decision);
    }
  }

  /** Hits, misses and evictions so far. */
  public CacheStats stats() {
    return cache.stats();
  }

  /** Entries held now (approximate). */
  public long size() {
    return cache.estimatedSize();
  }

  static Key key(RequestView r) {
    long a = 0xcbf29ce484222325L;
    long b = 0x9e3779b97f4a7c15L;
    for (String part :
        new String[] {r.method(), r.path(), r.query(), r.contentType(), r.body().text()}) {
      for (byte x : part.getBytes(StandardCharsets.UTF_8)) {
        a = (a ^ (x & 0xff)) * 0x100000001b3L;
        b = Long.rotateLeft(b ^ ((x & 0xff) * 0xff51afd7ed558ccdL), 29) * 0xc4ceb9fe1a85ec53L;
      }
      a = (a ^ 0x1f) * 0x100000001b3L; // field separator
      b = Long.rotateLeft(b ^ 0x1f, 31) * 0xc4ceb9fe1a85ec53L;
    }
    return new Key(a, b);
  }
}
