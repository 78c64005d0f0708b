package dev.semlb.bench;

import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.Decision;
import dev.semlb.classifier.Pipeline;
import dev.semlb.classifier.Stage;
import dev.semlb.classifier.cache.CaffeineDecisionCache;
import dev.semlb.classifier.embedding.EmbeddingStage;
import dev.semlb.classifier.embedding.ExampleIndex;
import dev.semlb.classifier.embedding.ModelQueue;
import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.head.HeadStage;
import dev.semlb.classifier.rules.RulesStage;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.RequestView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Classifier costs, each stage alone and the whole pipeline. Latency benchmarks use SampleTime
 * (percentiles); the throughput ones run with 2 threads on 2 cores.
 */
@Fork(
    value = 1,
    jvmArgs = {"-Xmx1g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ClassifierBenchmark {

  /** Body extraction and view building, by body size; cost must flatten past the read limit. */
  @State(Scope.Benchmark)
  public static class ViewState {
    @Param({"200", "2048", "65536", "1048576"})
    public int bodyBytes;

    Pipeline table;
    byte[] body;

    @Setup
    public void setup() throws Exception {
      table = BenchData.table();
      body = BenchData.jsonBody(bodyBytes, 1).getBytes(StandardCharsets.UTF_8);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public RequestView extractView(ViewState s) {
    // The service keeps only the first maxBodyBytes of a body before extracting.
    int kept = Math.min(s.body.length, s.table.config().limits().maxBodyBytes());
    byte[] prefix = kept == s.body.length ? s.body : java.util.Arrays.copyOf(s.body, kept);
    BodyView view = s.table.extractor().extract(prefix, s.body.length, "application/json", null);
    return RequestView.of("POST", "/jobs", Map.of("content-type", "application/json"), view);
  }

  /** Stage-level inputs. */
  @State(Scope.Benchmark)
  public static class StageState {
    Pipeline table;
    RulesStage rules;
    EmbeddingStage embedding;
    HeadStage head;
    HeadStage headFixedVector;
    CaffeineDecisionCache cache;
    RequestView cached;
    RequestView typical;
    final AtomicLong salt = new AtomicLong();

    @Setup
    public void setup() throws Exception {
      table = BenchData.table();
      rules = new RulesStage(table.config().rules());
      ExampleIndex index =
          ExampleIndex.build(
              BenchData.model(),
              table.config().examples(),
              table.config().embedding().neighbors(),
              table.config().embedding().maxWords());
      embedding =
          new EmbeddingStage(
              BenchData.model(), index, table.config().embedding(), ModelQueue.direct());
      head = new HeadStage(table.config().head(), BenchData.model(), ModelQueue.direct());
      // The same head with an embedder that answers at once: what signals + scoring add to the
      // model call.
      float[] fixed = BenchData.model().embed("a fixed request summary");
      headFixedVector = new HeadStage(table.config().head(), text -> fixed, ModelQueue.direct());
      cache = new CaffeineDecisionCache(10_000, Duration.ofMinutes(10), System::nanoTime);
      cached = view(BenchData.jsonBody(1024, 7));
      cache.put(cached, new Decision("high-compute", 0.8, Stage.EMBEDDING, "bench"));
      typical = view(BenchData.jsonBody(1024, 8));
    }

    RequestView view(String json) {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      return RequestView.of(
          "POST",
          "/api/v1/risk/applications",
          Map.of("content-type", "application/json"),
          table.extractor().extract(b, b.length, "application/json", null));
    }

    /** A 1 KB request never seen before (the salt changes the text the model sees). */
    RequestView unique() {
      long n = salt.incrementAndGet();
      String words = "case " + Long.toString(n, 36) + " " + Long.toString(n * 7919, 36);
      return view("{\"note\":\"" + words + "\"," + BenchData.jsonBody(1000, n).substring(1));
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object rulesStage(StageState s) {
    return s.rules.decide(s.typical, Deadline.in(Duration.ofSeconds(1)));
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object cacheHit(StageState s) {
    return s.cache.get(s.cached);
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Object embeddingSingle1kb(StageState s) {
    return s.embedding.decide(s.unique(), Deadline.in(Duration.ofSeconds(5)));
  }

  /** The decision head on a new 1 KB request: signals, one model call, scoring, explanation. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Object headSingle1kb(StageState s) {
    return s.head.decide(s.unique(), Deadline.in(Duration.ofSeconds(5)));
  }

  /**
   * What the head adds beyond the model call: signals, summary, scoring and explanation of 1 KB.
   */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object headSignalsAndScoring1kb(StageState s) {
    return s.headFixedVector.decide(s.unique(), Deadline.in(Duration.ofSeconds(5)));
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @org.openjdk.jmh.annotations.Threads(2)
  public Object embeddingThroughput2Threads(StageState s) {
    return s.embedding.decide(s.unique(), Deadline.in(Duration.ofSeconds(5)));
  }

  /**
   * The whole pipeline on the shipped dataset, cycled, so repeats hit the cache as in production:
   * as shipped, and without the decision head (the baseline of the same run).
   */
  @State(Scope.Benchmark)
  public static class PipelineState {
    @Param({"shipped", "withoutHead"})
    public String pipeline;

    Pipeline table;
    List<RequestView> views;
    final AtomicLong next = new AtomicLong();

    @Setup(Level.Trial)
    public void setup() throws Exception {
      table = pipeline.equals("shipped") ? BenchData.table() : BenchData.tableWithoutHead();
      List<LabelledRequest> cases = BenchData.cases();
      views = cases.stream().map(c -> BenchData.view(table, c)).toList();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @org.openjdk.jmh.annotations.Threads(2)
  public Decision pipelineMixWithRepeats(PipelineState s) {
    int i = (int) (s.next.getAndIncrement() % s.views.size());
    return s.table.classifier().classify(s.views.get(i));
  }
}
