package dev.semlb.config;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when a config file's content changes.
 *
 * <p>Watches the file's directory rather than the file, so editors that write a new file and rename
 * it, and Kubernetes ConfigMaps that swap a {@code ..data} symlink, are both seen. Bursts of events
 * are debounced, and the callback runs only when the file's bytes differ from the last ones
 * delivered. A periodic re-check covers file systems whose events are unreliable. Callbacks run one
 * at a time on the given scheduler.
 *
 * <p>Thread-safe: the watch loop runs on its own daemon thread; {@code lastDigest} and {@code
 * pending} are guarded by {@code this}.
 */
public final class FileWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FileWatcher.class);

  private final Path file;
  private final Duration debounce;
  private final ScheduledExecutorService scheduler;
  private final Consumer<Path> onChange;
  private final WatchService watchService;
  private final Thread thread;
  private final ScheduledFuture<?> poll;

  @GuardedBy("this")
  private byte[] lastDigest;

  @GuardedBy("this")
  private ScheduledFuture<?> pending;

  private volatile boolean closed;

  /**
   * Starts watching. The current content counts as already delivered.
   *
   * @param file the file to watch
   * @param debounce quiet time after the last event before the file is re-read
   * @param pollInterval how often the file is re-checked even without events
   * @param scheduler runs debounce timers and callbacks
   * @param onChange called with {@code file} after its content changed
   */
  public FileWatcher(
      Path file,
      Duration debounce,
      Duration pollInterval,
      ScheduledExecutorService scheduler,
      Consumer<Path> onChange)
      throws IOException {
    this.file = file.toAbsolutePath();
    this.debounce = Objects.requireNonNull(debounce, "debounce");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    this.lastDigest = digest(this.file);
    Path dir = this.file.getParent();
    this.watchService = FileSystems.getDefault().newWatchService();
    dir.register(
        watchService,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    this.thread = new Thread(this::watchLoop, "config-watch-" + this.file.getFileName());
    this.thread.setDaemon(true);
    this.thread.start();
    long pollMillis = pollInterval.toMillis();
    this.poll =
        scheduler.scheduleWithFixedDelay(
            this::checkNow, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
  }

  private void watchLoop() {
    while (!closed) {
      WatchKey key;
      try {
        key = watchService.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      key.pollEvents();
      key.reset();
      schedule();
    }
  }

  private synchronized void schedule() {
    if (closed) {
      return;
    }
    if (pending != null) {
      pending.cancel(false);
    }
    pending = scheduler.schedule(this::checkNow, debounce.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Re-reads the file now and calls back if its content changed. */
  public void checkNow() {
    if (closed) {
      return;
    }
    byte[] digest = digest(file);
    synchronized (this) {
      if (digest == null || Arrays.equals(digest, lastDigest)) {
        return;
      }
      lastDigest = digest;
    }
    try {
      onChange.accept(file);
    } catch (RuntimeException e) {
      log.error("reload of {} failed", file, e);
    }
  }

  private static byte[] digest(Path file) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (IOException e) {
      return null; // missing mid-swap: wait for the next event
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    poll.cancel(false);
    synchronized (this) {
      if (pending != null) {
        pending.cancel(false);
      }
    }
    try {
      watchService.close();
    } catch (IOException e) {
      log.debug("closing watch service", e);
    }
    thread.interrupt();
  }
}
