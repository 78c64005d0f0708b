package dev.semlb.classifier.view;

/**
 * Bounds on how much of a request is read when building a {@link RequestView}.
 *
 * <p>Only the first {@code maxBodyBytes} of a body are ever inspected, so classification cost stops
 * growing once a body passes that size. The default is 64 KiB of body, 4,096 characters of
 * extracted text and JSON nesting up to 128 levels.
 *
 * @param maxBodyBytes bytes of body read, at least 0
 * @param maxTextChars characters of extracted body text kept, at least 1
 * @param maxJsonDepth nesting depth beyond which JSON is treated as text, 1 to {@link
 *     #MAX_JSON_DEPTH}
 */
public record ViewLimits(int maxBodyBytes, int maxTextChars, int maxJsonDepth) {

  /** The defaults described above. */
  public static final ViewLimits DEFAULTS = new ViewLimits(64 * 1024, 4096, 128);

  /**
   * The largest {@code maxJsonDepth}: the body text is collected by walking the JSON tree
   * recursively, and a deeper walk could overflow a request thread's stack.
   */
  public static final int MAX_JSON_DEPTH = 1000;

  /** Validates the bounds. */
  public ViewLimits {
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: >= 0)");
    }
    if (maxTextChars < 1) {
      throw new IllegalArgumentException("maxTextChars: " + maxTextChars + " (expected: >= 1)");
    }
    if (maxJsonDepth < 1 || maxJsonDepth > MAX_JSON_DEPTH) {
      throw new IllegalArgumentException(
          "maxJsonDepth: " + maxJsonDepth + " (expected: 1.." + MAX_JSON_DEPTH + ")");
    }
  }
}
