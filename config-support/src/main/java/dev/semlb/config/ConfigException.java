package dev.semlb.config;

/**
 * A configuration file that cannot be used, with a message that names the file, the path of the
 * offending value inside it, the value, and what was expected, e.g. {@code routing.yaml:
 * rules[2].pool: 'fastpath' (expected: one of [fast-path, general])}.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with a complete, user-facing message. */
  public ConfigException(String message) {
    super(message);
  }

  /** Creates an exception with a complete, user-facing message and its cause. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
