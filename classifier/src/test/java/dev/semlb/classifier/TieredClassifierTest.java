package dev.semlb.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TieredClassifierTest {

  private static final RequestView GET = RequestView.of("GET", "/", Map.of(), BodyView.EMPTY);

  private static ClassifierStage stage(Stage kind, Function<Deadline, Outcome> answer) {
    return new ClassifierStage() {
      @Override
      public Stage stage() {
        return kind;
      }

      @Override
      public Outcome decide(RequestView request, Deadline deadline) {
        return answer.apply(deadline);
      }
    };
  }

  /** A stage that only answers asynchronously: the pipeline must never call its {@code decide}. */
  private static ClassifierStage async(
      Stage kind,
      java.util.function.Supplier<java.util.concurrent.CompletableFuture<Outcome>> answer) {
    return new ClassifierStage() {
      @Override
      public Stage stage() {
        return kind;
      }

      @Override
      public Outcome decide(RequestView request, Deadline deadline) {
        throw new AssertionError("the pipeline must use the asynchronous form");
      }

      @Override
      public java.util.concurrent.CompletableFuture<Outcome> decideAsync(
          RequestView request, Deadline deadline) {
        return answer.get();
      }
    };
  }

  private static ClassifierStage fixed(Stage kind, Outcome outcome) {
    return stage(kind, d -> outcome);
  }

  /** Records puts; answers gets from what was put. */
  private static final class RecordingCache implements DecisionCache {
    final List<Decision> puts = new ArrayList<>();

    @Override
    public Optional<Decision> get(RequestView request) {
      return puts.isEmpty()
          ? Optional.empty()
          : Optional.of(new Decision(puts.get(0).pool(), 1, Stage.CACHE, "cached"));
    }

    @Override
    public void put(RequestView request, Decision decision) {
      puts.add(decision);
    }
  }

  @Test
  void firstSureStageWins() {
    Decision embedding = new Decision("high-compute", 0.7, Stage.EMBEDDING, "nearest example");
    TieredClassifier classifier =
        new TieredClassifier(
            List.of(
                fixed(Stage.RULES, Outcome.pass()),
                fixed(Stage.EMBEDDING, Outcome.sure(embedding)),
                fixed(Stage.LLM, Outcome.sure(new Decision("general", 1, Stage.LLM, "llm")))),
            "general");

    assertThat(classifier.classify(GET)).isEqualTo(embedding);
  }

  @Test
  void allPass_givesTheDefaultPool_evenWithAnUnsureCandidate() {
    TieredClassifier classifier =
        new TieredClassifier(
            List.of(
                fixed(
                    Stage.EMBEDDING,
                    Outcome.unsure(new Decision("fast-path", 0.2, Stage.EMBEDDING, "weak")))),
            "general");

    Decision decision = classifier.classify(GET);

    assertThat(decision.pool()).isEqualTo("general");
    assertThat(decision.stage()).isEqualTo(Stage.DEFAULT);
    assertThat(decision.reason()).contains("best guess fast-path");
  }

  @Test
  void budgetSpent_givesTheBestCandidateSoFar() {
    Decision weak = new Decision("high-compute", 0.4, Stage.EMBEDDING, "weak");
    ClassifierStage slow =
        stage(
            Stage.EMBEDDING,
            deadline -> {
              while (!deadline.expired()) {
                Thread.onSpinWait();
              }
              return Outcome.unsure(weak);
            });
    ClassifierStage never =
        fixed(Stage.LLM, Outcome.sure(new Decision("general", 1, Stage.LLM, "too late")));
    TieredClassifier classifier =
        new TieredClassifier(
            List.of(), DecisionCache.NONE, List.of(slow, never), "general", Duration.ofMillis(20));

    Decision decision = classifier.classify(GET);

    assertThat(decision.pool()).isEqualTo("high-compute");
    assertThat(decision.reason()).contains("budget spent");
  }

  @Test
  void budgetSpent_withNoCandidate_givesTheDefaultPool() {
    ClassifierStage slow =
        stage(
            Stage.EMBEDDING,
            deadline -> {
              while (!deadline.expired()) {
                Thread.onSpinWait();
              }
              return Outcome.pass();
            });
    TieredClassifier classifier =
        new TieredClassifier(
            List.of(), DecisionCache.NONE, List.of(slow), "general", Duration.ofMillis(5));

    assertThat(classifier.classify(GET)).isEqualTo(Decision.fallback("general", "budget spent"));
  }

  @Test
  void laterStagesAreCached_rulesAndFallbacksAreNot() {
    RecordingCache cache = new RecordingCache();
    Decision model = new Decision("high-compute", 0.9, Stage.EMBEDDING, "model");
    TieredClassifier classifier =
        new TieredClassifier(
            List.of(fixed(Stage.RULES, Outcome.pass())),
            cache,
            List.of(fixed(Stage.EMBEDDING, Outcome.sure(model))),
            "general",
            Duration.ofSeconds(1));

    assertThat(classifier.classify(GET)).isEqualTo(model);
    assertThat(cache.puts).containsExactly(model);
    assertThat(classifier.classify(GET).stage()).isEqualTo(Stage.CACHE);

    RecordingCache other = new RecordingCache();
    new TieredClassifier(
            List.of(
                fixed(Stage.RULES, Outcome.sure(new Decision("fast-path", 1, Stage.RULES, "r")))),
            other,
            List.of(),
            "general",
            Duration.ofSeconds(1))
        .classify(GET);
    new TieredClassifier(
            List.of(),
            other,
            List.of(fixed(Stage.EMBEDDING, Outcome.pass())),
            "general",
            Duration.ofSeconds(1))
        .classify(GET);
    assertThat(other.puts).isEmpty();
  }

  @Test
  void throwingStage_isSkipped_notPropagated() {
    ClassifierStage broken =
        stage(
            Stage.RULES,
            d -> {
              throw new IllegalStateException("boom");
            });
    Decision later = new Decision("fast-path", 1, Stage.EMBEDDING, "x");
    TieredClassifier classifier =
        new TieredClassifier(
            List.of(broken, fixed(Stage.EMBEDDING, Outcome.sure(later))), "general");

    assertThat(classifier.classify(GET)).isEqualTo(later);
  }

  /** A later stage whose model call never answers: the pipeline still decides by the deadline. */
  @Test
  void asyncStageThatNeverAnswers_isCutAtTheDeadline_withTheBestGuess() {
    Decision unsure = new Decision("high-compute", 0.4, Stage.HEAD, "head");
    ClassifierStage hanging = async(Stage.EMBEDDING, java.util.concurrent.CompletableFuture::new);
    TieredClassifier classifier =
        new TieredClassifier(
            List.of(),
            DecisionCache.NONE,
            List.of(fixed(Stage.HEAD, Outcome.unsure(unsure)), hanging),
            "general",
            Duration.ofMillis(500)); // room for the not-done check on a busy machine

    long start = System.nanoTime();
    java.util.concurrent.CompletableFuture<Decision> future = classifier.classifyAsync(GET);
    assertThat(future).as("nothing blocks the caller").isNotDone();
    Decision decision = future.join();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(decision.pool()).isEqualTo("high-compute");
    assertThat(decision.reason()).contains("budget spent");
  }

  @Test
  void asyncFailure_passesToTheNextStage() {
    Decision llm = new Decision("general", 0.9, Stage.LLM, "llm");
    ClassifierStage failing =
        async(
            Stage.EMBEDDING,
            () ->
                java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("model crashed")));
    TieredClassifier classifier =
        new TieredClassifier(
            List.of(),
            DecisionCache.NONE,
            List.of(failing, fixed(Stage.LLM, Outcome.sure(llm))),
            "high-compute",
            Duration.ofSeconds(1));

    assertThat(classifier.classifyAsync(GET).join()).isEqualTo(llm);
  }

  /** A model call still queued when its request's deadline passes is never made. */
  @Test
  void queuedModelCall_pastItsDeadline_isNotRun() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService one =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try {
      one.execute(
          () -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      Deadline deadline = Deadline.in(Duration.ofMillis(20));
      java.util.concurrent.CompletableFuture<float[]> vector =
          dev.semlb.classifier.embedding.EmbeddingCall.async(
              text -> {
                calls.incrementAndGet();
                return new float[] {1};
              },
              "text",
              dev.semlb.classifier.embedding.ModelQueue.over(one),
              deadline);

      assertThat(vector.join()).as("the deadline completes it").isNull();
      release.countDown();
      one.shutdown();
      assertThat(one.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(calls.get()).as("model calls made for an expired request").isZero();
    } finally {
      one.shutdownNow();
    }
  }
}
