package dev.semlb.extproc.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Deadline;
import dev.semlb.classifier.embedding.ModelQueue;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModelQueueMetricsTest {

  @Test
  void shedCalls_areExported_byReason() throws Exception {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
    CountDownLatch release = new CountDownLatch(1);
    try {
      ModelQueue queue = ModelQueue.bounded(pool);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ModelQueueMetrics.bind(registry, queue);
      Deadline long_ = Deadline.in(Duration.ofSeconds(10));
      queue.submit(
          () -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return 1;
          },
          long_);
      for (int i = 0; i < 3; i++) {
        queue.submit(() -> 2, long_);
      }

      String scrape = registry.scrape();

      assertThat(queue.shed(ModelQueue.Shed.QUEUE_FULL)).isPositive();
      assertThat(scrape)
          .contains(
              "semlb_shed_total{reason=\"queue-full\"} "
                  + (double) queue.shed(ModelQueue.Shed.QUEUE_FULL))
          .contains("semlb_shed_total{reason=\"over-budget\"} 0.0")
          .contains("semlb_shed_total{reason=\"expired\"} 0.0")
          .contains("semlb_model_queue_waiting")
          .contains("semlb_model_call_mean_seconds");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
