package dev.semlb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWatcherTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static void await(AtomicInteger counter, int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (counter.get() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Test
  void changedContent_callsBackOnce_perDebouncedBurst(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("c.yaml"), "a: 1\n");
    AtomicInteger calls = new AtomicInteger();
    try (FileWatcher watcher =
        new FileWatcher(
            file,
            Duration.ofMillis(100),
            Duration.ofHours(1),
            scheduler,
            p -> calls.incrementAndGet())) {
      for (int i = 2; i < 6; i++) {
        Files.writeString(file, "a: " + i + "\n");
      }
      await(calls, 1);
      Thread.sleep(400);

      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void atomicRenameOverTheFile_isSeen(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("c.yaml"), "a: 1\n");
    AtomicInteger calls = new AtomicInteger();
    try (FileWatcher watcher =
        new FileWatcher(
            file,
            Duration.ofMillis(50),
            Duration.ofHours(1),
            scheduler,
            p -> calls.incrementAndGet())) {
      Path tmp = Files.writeString(dir.resolve("c.yaml.tmp"), "a: 2\n");
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      await(calls, 1);

      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void sameContentRewritten_doesNotCallBack(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("c.yaml"), "a: 1\n");
    AtomicInteger calls = new AtomicInteger();
    try (FileWatcher watcher =
        new FileWatcher(
            file,
            Duration.ofMillis(50),
            Duration.ofHours(1),
            scheduler,
            p -> calls.incrementAndGet())) {
      Files.writeString(file, "a: 1\n");
      Thread.sleep(400);
      watcher.checkNow();

      assertThat(calls).hasValue(0);
    }
  }
}
