package dev.semlb.e2e.support;

import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link SemlbStack} (workers, xds-server, ext-proc-service, Envoy; waits until Envoy
 * routes by meaning) before the tests and closes it after them, so an IT holds no lifecycle code of
 * its own. Register it on a field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SemlbStackExtension STACK = SemlbStackExtension.builder("target/it/routing").build();
 * ... STACK.stack().send(request) ...
 * }</pre>
 *
 * <p>One stack per test class by default (register on a {@code static} field); with {@link
 * Builder#perTest()} a fresh stack for every test, in {@code <workDir>/<test method>} (register on
 * an instance field). The class's own {@code @BeforeAll}/{@code @BeforeEach} methods run after the
 * stack is up, and its {@code @AfterAll}/{@code @AfterEach} methods before it is closed.
 *
 * <p>Not thread-safe: JUnit calls the callbacks of one class from one thread, and tests read {@link
 * #stack()} after they ran.
 */
public final class SemlbStackExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final Path workDir;
  private final boolean perTest;
  private final boolean mtls;
  private final boolean twoExtProcs;
  private final boolean envoyRoutes;
  private SemlbStack stack;
  private TestCerts certs;

  private SemlbStackExtension(Builder builder) {
    this.workDir = builder.workDir;
    this.perTest = builder.perTest;
    this.mtls = builder.mtls;
    this.twoExtProcs = builder.twoExtProcs;
    this.envoyRoutes = builder.envoyRoutes;
    if (mtls && twoExtProcs) {
      throw new IllegalArgumentException("mtls and twoExtProcs together are not supported");
    }
  }

  /** Options for a stack whose files and logs go to {@code workDir} (relative to the module). */
  public static Builder builder(String workDir) {
    return new Builder(Path.of(workDir));
  }

  /** The running stack; fails when called outside the tests it was started for. */
  public SemlbStack stack() {
    if (stack == null) {
      throw new IllegalStateException(
          "no stack running (per-class stacks need a static @RegisterExtension field, "
              + "per-test stacks an instance field)");
    }
    return stack;
  }

  /** The certificates of an mTLS stack ({@link Builder#mtls()}). */
  public TestCerts certs() {
    if (certs == null) {
      throw new IllegalStateException("not an mTLS stack (expected: builder(...).mtls())");
    }
    return certs;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (!perTest) {
      start(workDir);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (perTest) {
      start(workDir.resolve(context.getRequiredTestMethod().getName()));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (perTest) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (!perTest) {
      stop();
    }
  }

  private void start(Path dir) throws Exception {
    if (mtls) {
      certs = TestCerts.create(dir.resolve("certs"));
      stack = SemlbStack.startWithMtls(dir, certs);
    } else if (envoyRoutes) {
      stack = SemlbStack.startWithEnvoyRoutes(dir);
    } else if (twoExtProcs) {
      stack = SemlbStack.startWithTwoExtProcs(dir);
    } else {
      stack = SemlbStack.start(dir);
    }
  }

  private void stop() throws Exception {
    SemlbStack running = stack;
    stack = null;
    if (running != null) {
      running.close();
    }
  }

  /** How the stack is run. The default is one plaintext stack per test class. */
  public static final class Builder {
    private final Path workDir;
    private boolean perTest;
    private boolean mtls;
    private boolean twoExtProcs;
    private boolean envoyRoutes;

    private Builder(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /** A fresh stack for every test (for tests that kill, stop or re-point its parts). */
    public Builder perTest() {
      this.perTest = true;
      return this;
    }

    /** Mutual TLS between Envoy and both services ({@link SemlbStack#startWithMtls}). */
    public Builder mtls() {
      this.mtls = true;
      return this;
    }

    /** Two ext-proc-service replicas behind Envoy ({@link SemlbStack#startWithTwoExtProcs}). */
    public Builder twoExtProcs() {
      this.twoExtProcs = true;
      return this;
    }

    /** xds-server compiles the routing file's native routes (rules Envoy decides itself). */
    public Builder envoyRoutes() {
      this.envoyRoutes = true;
      return this;
    }

    public SemlbStackExtension build() {
      return new SemlbStackExtension(this);
    }
  }
}
