package dev.semlb.classifier.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semlb.classifier.Deadline;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelQueueTest {

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger ran = new AtomicInteger();
  private ThreadPoolExecutor pool;

  private ModelQueue oneThread(int capacity) {
    pool = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity));
    return ModelQueue.bounded(pool);
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private static Deadline in(long millis) {
    return Deadline.in(Duration.ofMillis(millis));
  }

  private String counted() {
    ran.incrementAndGet();
    return "ran";
  }

  private String blocking() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "blocked";
  }

  private static String sleeping(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "slept";
  }

  @Test
  void aCallThatCannotFinishInTime_isShedAtOnce_andNeverRun() {
    ModelQueue queue = oneThread(16);
    assertThat(queue.submit(() -> sleeping(30), in(10_000)).join()).isEqualTo("slept");
    assertThat(queue.meanCallNanos()).isGreaterThanOrEqualTo(25e6);
    queue.submit(this::blocking, in(10_000));
    for (int i = 0; i < 3; i++) {
      queue.submit(this::counted, in(10_000));
    }
    assertThat(queue.waiting()).isBetween(3, 4);

    // 3 waiting on 1 thread at >= 25 ms a call: >= 100 ms to finish, 60 ms left.
    CompletableFuture<String> shed = queue.submit(this::counted, in(60));

    assertThat(shed).isCompletedWithValue(null);
    assertThat(queue.shed(ModelQueue.Shed.OVER_BUDGET)).isEqualTo(1);
    // A view with a wait limit sheds what would wait longer (>= 75 ms expected, 50 allowed),
    // and counts it with the queue's own.
    CompletableFuture<String> tooLong =
        queue.withMaxWait(Duration.ofMillis(50)).submit(this::counted, in(10_000));
    assertThat(tooLong).isCompletedWithValue(null);
    assertThat(queue.shed(ModelQueue.Shed.OVER_BUDGET)).isEqualTo(2);
    // With time enough and no wait limit, the same call is queued.
    CompletableFuture<String> admitted = queue.submit(this::counted, in(10_000));
    assertThat(admitted).isNotDone();
    release.countDown();
    assertThat(admitted.join()).isEqualTo("ran");
    assertThat(ran.get()).as("the shed calls never ran").isEqualTo(4);
    assertThat(queue.shed(ModelQueue.Shed.OVER_BUDGET)).isEqualTo(2);
  }

  @Test
  void aMeanOverTheBudget_doesNotShedForever_anIdleQueueProbesAndRecovers() throws Exception {
    ModelQueue queue = oneThread(16);
    // One slow call (a cold start): the mean is now over any 50 ms budget.
    assertThat(queue.submit(() -> sleeping(80), in(10_000)).join()).isEqualTo("slept");

    // Calls are fast again, but the estimate says 80 ms: the request is answered at once (shed),
    // and its call runs once, unseen, to time it.
    CompletableFuture<String> shed = queue.submit(this::counted, in(50));
    assertThat(shed).isCompletedWithValue(null);
    assertThat(queue.shed(ModelQueue.Shed.OVER_BUDGET)).isEqualTo(1);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (ran.get() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(queue.probes()).isEqualTo(1);
    assertThat(ran.get()).as("the probe ran the call").isEqualTo(1);

    // At most one probe per interval: the mean (80 -> ~72 ms) is still over, the next is only
    // shed.
    assertThat(queue.submit(this::counted, in(50))).isCompletedWithValue(null);
    Thread.sleep(20);
    assertThat(queue.probes()).isEqualTo(1);

    // Each interval's probe pulls the mean down until calls are admitted again.
    deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (queue.submit(this::counted, in(50)).join() == null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(queue.meanCallNanos()).isLessThan(50e6);
    assertThat(queue.submit(this::counted, in(50)).join()).isEqualTo("ran");
  }

  @Test
  void aBusyQueue_runsNoProbe() {
    ModelQueue queue = oneThread(16);
    assertThat(queue.submit(() -> sleeping(30), in(10_000)).join()).isEqualTo("slept");
    queue.submit(this::blocking, in(10_000));
    queue.submit(this::counted, in(10_000));

    assertThat(queue.submit(this::counted, in(20))).isCompletedWithValue(null);
    assertThat(queue.probes()).isZero();
  }

  @Test
  void aFullQueue_shedsTheCall_asQueueFull() {
    ModelQueue queue = oneThread(1);
    queue.submit(this::blocking, in(10_000));
    // The blocking call may not have started yet; fill until the queue refuses.
    CompletableFuture<String> last = null;
    for (int i = 0; i < 3 && queue.shed(ModelQueue.Shed.QUEUE_FULL) == 0; i++) {
      last = queue.submit(this::counted, in(10_000));
    }
    assertThat(queue.shed(ModelQueue.Shed.QUEUE_FULL)).isEqualTo(1);
    assertThat(last).isCompletedWithValue(null);
    assertThat(queue.shed(ModelQueue.Shed.OVER_BUDGET)).as("no estimate yet").isZero();
  }

  @Test
  void aCallWhoseDeadlinePassesWhileItWaits_isNotRun_andCountedExpired() throws Exception {
    ModelQueue queue = oneThread(16);
    queue.submit(this::blocking, in(10_000));
    CompletableFuture<String> late = queue.submit(this::counted, in(20));

    assertThat(late.join()).as("the deadline completes it").isNull();
    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran.get()).isZero();
    assertThat(queue.shed(ModelQueue.Shed.EXPIRED)).isEqualTo(1);
    assertThat(queue.waiting()).isZero();
  }

  @Test
  void overAnExecutor_admitsEveryCall_andRunsIt() {
    ModelQueue queue = ModelQueue.over(Runnable::run);
    for (int i = 0; i < 5; i++) {
      assertThat(queue.submit(() -> sleeping(5), in(10_000)).join()).isEqualTo("slept");
    }
    // A 3 ms budget is below the 5 ms mean call time: a bounded queue would shed it; this one runs
    // it.
    assertThat(queue.submit(this::counted, in(3)).join()).isEqualTo("ran");
    assertThat(queue.shed(ModelQueue.Shed.OVER_BUDGET)).isZero();
  }
}
