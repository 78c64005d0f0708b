package dev.semlb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.eval.Evaluator;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.classifier.rules.RulesStage;
import dev.semlb.e2e.support.SemlbStack;
import dev.semlb.e2e.support.SemlbStackExtension;
import dev.semlb.e2e.support.Served;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routing by meaning through the real Envoy: paraphrased requests that no rule matches reach their
 * pool; a routing.yaml edit takes effect live and a bad edit is rejected, with no request failing
 * meanwhile.
 */
class SemanticRoutingIT {

  @RegisterExtension
  static final SemlbStackExtension STACK =
      SemlbStackExtension.builder("target/it/semantic").build();

  @Test
  void paraphrasesNoRuleMatches_reachThePoolOfTheirMeaning() throws Exception {
    List<LabelledRequest> paraphrases =
        WorkloadFile.read(Path.of("src/test/resources/paraphrases.jsonl"));
    Pipeline table = STACK.stack().extProc().routing().get();
    RulesStage rules = new RulesStage(table.config().rules());

    for (LabelledRequest r : paraphrases) {
      assertThat(
              rules.decide(Evaluator.view(table, r), Deadline.in(Duration.ofSeconds(1))).decision())
          .as("no rule may match %s", r.describe())
          .isNull();
      Served served = STACK.stack().send(r);
      assertThat(served.status()).as(r.describe()).isEqualTo(200);
      assertThat(served.pool()).as(r.describe()).isEqualTo(r.expectedPool());
    }
    assertThat(paraphrases).extracting(LabelledRequest::expectedPool).containsAll(SemlbStack.POOLS);
  }

  @Test
  void configEdit_takesEffectLive_badEditIsRejected_noRequestFails() throws Exception {
    String original = Files.readString(STACK.stack().routingFile());
    LabelledRequest probe = new LabelledRequest("fast-path", "GET", "/maintenance/window", "", "");
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CompletableFuture<Void> load =
        CompletableFuture.runAsync(
            () -> {
              while (running.get() && sent.get() < 20_000) {
                try {
                  Served s =
                      STACK
                          .stack()
                          .send(
                              new LabelledRequest(
                                  "general",
                                  "PUT",
                                  "/api/users/9",
                                  "application/json",
                                  "{\"name\": \"x\"}"));
                  if (s.status() != 200 || !"general".equals(s.pool())) {
                    failed.incrementAndGet();
                  }
                } catch (Exception e) {
                  failed.incrementAndGet();
                }
                sent.incrementAndGet();
              }
            });
    try {
      long version = STACK.stack().extProc().routing().version();
      String edited =
          original.replace(
              "rules:\n",
              """
          rules:
            - name: maintenance-window
              pool: high-compute
              match: { path: { prefix: /maintenance } }
          """);
      STACK.stack().overwriteRouting(edited);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      String pool = null;
      while (System.nanoTime() < deadline && !"high-compute".equals(pool)) {
        pool = STACK.stack().send(probe).pool();
        Thread.sleep(50);
      }
      assertThat(pool).as("the new rule routes live").isEqualTo("high-compute");
      assertThat(STACK.stack().extProc().routing().version()).isEqualTo(version + 1);

      STACK
          .stack()
          .overwriteRouting(
              edited.replace(
                  "pool: high-compute\n    match: { path: { prefix: /maintenance",
                  "pool: no-such-pool\n    match: { path: { prefix: /maintenance"));
      Thread.sleep(1500);
      assertThat(STACK.stack().extProc().routing().version())
          .as("the bad edit is rejected")
          .isEqualTo(version + 1);
      assertThat(STACK.stack().send(probe).pool()).isEqualTo("high-compute");
    } finally {
      running.set(false);
      load.join();
      STACK.stack().overwriteRouting(original);
    }
    org.slf4j.LoggerFactory.getLogger(SemanticRoutingIT.class)
        .info(
            "routing.yaml edited, then replaced by an invalid one, under load: sent {}, failed {}",
            sent,
            failed);
    assertThat(sent.get()).isPositive();
    assertThat(failed.get()).as("requests failed or misrouted during the edits").isZero();
  }
}
