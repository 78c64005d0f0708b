package dev.semlb.extproc.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.WarmUpRequests;
import dev.semlb.classifier.config.RoutingConfig;
import dev.semlb.classifier.config.RoutingConfigLoader;
import dev.semlb.classifier.view.RequestView;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoopbackWarmUpTest {

  private static final Path ROUTING =
      Path.of(System.getProperty("semlb.repoRoot", "..")).resolve("config/routing.yaml");

  private final List<RequestView> seen = new CopyOnWriteArrayList<>();

  /** The shipped table (rules and defaults) with a classifier that records what it is asked. */
  private Pipeline recording(RoutingConfig config) {
    Pipeline real = Pipeline.build(config);
    return new Pipeline(
        config,
        real.extractor(),
        view -> {
          seen.add(view);
          return real.classifier().classify(view);
        },
        real.cache());
  }

  private static RoutingConfig shipped() throws Exception {
    return RoutingConfigLoader.load(ROUTING, false);
  }

  @Test
  void everyMadeUpRequestIsClassifiedOverGrpc_andAnsweredWithAPool() throws Exception {
    Pipeline pipeline = recording(shipped());

    LoopbackWarmUp.Result result =
        LoopbackWarmUp.run(() -> pipeline, 2, Duration.ofMinutes(1), System::nanoTime);

    int shapes = WarmUpRequests.shapes(0).size();
    assertThat(result.skipped()).isNull();
    assertThat(result.requests()).isEqualTo(2 * shapes);
    // Each request reached the stream handler with its method, path and body as sent.
    assertThat(seen).hasSize(2 * shapes);
    for (int i = 0; i < shapes; i++) {
      WarmUpRequests.Shape shape = WarmUpRequests.shapes(0).get(i);
      RequestView view = seen.get(i);
      assertThat(view.method()).isEqualTo(shape.method());
      assertThat(shape.target()).startsWith(view.path());
      assertThat(view.body().sizeBytes()).as(shape.target()).isEqualTo(shape.body().length());
    }
    assertThat(result.format())
        .startsWith(2 * shapes + " made-up requests over loopback gRPC in ")
        .contains("(first ");
  }

  @Test
  void stopsAfterTheRoundInProgressWhenTimeIsUp() throws Exception {
    Pipeline pipeline = recording(shipped());
    AtomicLong now = new AtomicLong();
    // Each reading of the clock is a second later than the one before; the limit is 1.5 s:
    // the first round starts, the second does not.
    LoopbackWarmUp.Result result =
        LoopbackWarmUp.run(
            () -> pipeline, 30, Duration.ofMillis(1500), () -> now.getAndAdd(1_000_000_000L));

    assertThat(result.requests()).isEqualTo(WarmUpRequests.shapes(0).size()).isEqualTo(seen.size());
    assertThat(result.firstMillis()).isEqualTo(1000);
  }

  @Test
  void turnedOff_byZeroTimeOrRounds() throws Exception {
    Pipeline pipeline = recording(shipped());

    assertThat(LoopbackWarmUp.run(() -> pipeline, 30, Duration.ZERO, System::nanoTime).format())
        .isEqualTo("skipped (turned off)");
    assertThat(
            LoopbackWarmUp.run(() -> pipeline, 0, Duration.ofSeconds(5), System::nanoTime)
                .requests())
        .isZero();
    assertThat(seen).isEmpty();
  }

  @Test
  void withAnLlmStage_sendsNothing() throws Exception {
    RoutingConfig config = shipped();
    Pipeline rulesOnly = recording(config);
    Pipeline withLlm =
        new Pipeline(
            config.withLlm(config.llm().at(URI.create("http://127.0.0.1:9"), "mistral")),
            rulesOnly.extractor(),
            rulesOnly.classifier(),
            rulesOnly.cache());

    LoopbackWarmUp.Result result =
        LoopbackWarmUp.run(() -> withLlm, 30, Duration.ofSeconds(5), System::nanoTime);

    assertThat(seen).isEmpty();
    assertThat(result.skipped()).contains("LLM stage");
  }

  @Test
  void rejectsBadLimits() throws Exception {
    Pipeline pipeline = Pipeline.build(shipped());
    assertThatThrownBy(() -> LoopbackWarmUp.run(() -> pipeline, -1, Duration.ZERO, () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRounds: -1 (expected: >= 0)");
    assertThatThrownBy(() -> LoopbackWarmUp.run(() -> pipeline, 1, Duration.ofSeconds(-1), () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTime: PT-1S (expected: >= 0)");
  }
}
