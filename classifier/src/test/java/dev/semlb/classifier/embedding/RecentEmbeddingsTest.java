package dev.semlb.classifier.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Deadline;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One model call per recent text, and a recent text never waits for the inference executor. */
class RecentEmbeddingsTest {

  @Test
  void aTextEmbeddedRecently_costsNoModelCall_andSkipsTheExecutor() {
    AtomicInteger calls = new AtomicInteger();
    RecentEmbeddings recent =
        new RecentEmbeddings(
            text -> {
              calls.incrementAndGet();
              return new float[] {text.length()};
            },
            16,
            Duration.ofSeconds(5));
    AtomicInteger submitted = new AtomicInteger();
    ModelQueue counting =
        ModelQueue.over(
            task -> {
              submitted.incrementAndGet();
              task.run();
            });
    Deadline deadline = Deadline.in(Duration.ofSeconds(1));

    float[] first = EmbeddingCall.async(recent, "GET orders id", counting, deadline).join();
    float[] second = EmbeddingCall.async(recent, "GET orders id", counting, deadline).join();
    EmbeddingCall.async(recent, "POST orders", counting, deadline).join();

    assertThat(second).isSameAs(first);
    assertThat(calls.get()).isEqualTo(2);
    assertThat(submitted.get()).as("executor hops").isEqualTo(2);
    assertThat(recent.peek("never seen")).isNull();
  }
}
