package dev.semlb.config;

import java.util.regex.Pattern;

/**
 * The one rule for pool names, shared by the routing config, the pools file and the workers: 1-63
 * lower-case letters, digits and dashes, starting and ending with a letter or digit, so a name is
 * safe in headers, metric labels and Envoy cluster names.
 */
public final class PoolName {

  /** What a valid name looks like, for error messages. */
  public static final String EXPECTED = "lower-case letters, digits and dashes, 1-63 characters";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private PoolName() {}

  /** Whether {@code name} is a valid pool name. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** {@code name}, or an IllegalArgumentException {@code "<field>: '<name>' (expected: ...)"}. */
  public static String check(String field, String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(field + ": '" + name + "' (expected: " + EXPECTED + ")");
    }
    return name;
  }
}
