package dev.semlb.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags ({@code --name value} or {@code --name=value}) with an environment variable
 * fallback per flag ({@code --routing} falls back to {@code SEMLB_ROUTING}).
 *
 * <p>A flag always wins over its variable. Every getter validates and throws {@link
 * IllegalArgumentException} with a message of the form {@code "--port: 'x' (expected: an integer in
 * [0, 65535])"}. Call {@link #rejectUnknown} after reading every flag so that a typo is an error.
 * Not thread-safe; use from main.
 */
public final class Flags {

  private final Map<String, String> values = new HashMap<>();
  private final Map<String, String> env;
  private final List<String> positional = new ArrayList<>();
  private final Set<String> read = new LinkedHashSet<>();

  private Flags(Map<String, String> env) {
    this.env = env;
  }

  /** Parses {@code args}; {@code env} supplies fallbacks (pass {@code System.getenv()}). */
  public static Flags parse(String[] args, Map<String, String> env) {
    Flags flags = new Flags(Map.copyOf(env));
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        flags.positional.add(arg);
        continue;
      }
      String name = arg.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        flags.values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        flags.values.put(name, args[++i]);
      } else {
        flags.values.put(name, "true");
      }
    }
    return flags;
  }

  /** Arguments that are not flags, in order. */
  public List<String> positional() {
    return List.copyOf(positional);
  }

  /** The raw value of {@code --name} or its variable, or {@code fallback}. */
  public String string(String name, String fallback) {
    read.add(name);
    String value = values.get(name);
    if (value == null) {
      value = env.get(envName(name));
    }
    return value == null || value.isEmpty() ? fallback : value;
  }

  /** An integer flag within {@code [min, max]}. */
  public int integer(String name, int fallback, int min, int max) {
    String raw = string(name, null);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(name, raw, "an integer in [" + min + ", " + max + "]");
  }

  /** A boolean flag: true/false/yes/no/1/0. A bare {@code --name} means true. */
  public boolean bool(String name, boolean fallback) {
    String raw = string(name, null);
    if (raw == null) {
      return fallback;
    }
    switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "1":
        return true;
      case "false":
      case "no":
      case "0":
        return false;
      default:
        throw invalid(name, raw, "true or false");
    }
  }

  /** A duration in milliseconds ({@code 250}, {@code 250ms}) or seconds ({@code 2s}). */
  public Duration duration(String name, Duration fallback) {
    String raw = string(name, null);
    if (raw == null) {
      return fallback;
    }
    String s = raw.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return checkNonNegative(
            name, raw, Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2))));
      }
      if (s.endsWith("s")) {
        return checkNonNegative(
            name,
            raw,
            Duration.ofMillis(
                Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000)));
      }
      return checkNonNegative(name, raw, Duration.ofMillis(Long.parseLong(s)));
    } catch (NumberFormatException e) {
      throw invalid(name, raw, "a duration such as 250ms or 2s");
    }
  }

  /** A path to an existing regular file. */
  public Path existingFile(String name, String fallback) {
    String raw = string(name, fallback);
    if (raw == null) {
      throw new IllegalArgumentException("--" + name + ": missing (expected: a file path)");
    }
    Path path = Path.of(raw);
    if (!Files.isRegularFile(path)) {
      throw invalid(name, raw, "an existing file");
    }
    return path;
  }

  /** Fails if a flag was given that no getter asked for. */
  public void rejectUnknown() {
    for (String name : values.keySet()) {
      if (!read.contains(name)) {
        throw new IllegalArgumentException(
            "--" + name + ": unknown flag (expected one of: --" + String.join(", --", read) + ")");
      }
    }
  }

  /** The environment variable that backs {@code --name}: {@code SEMLB_} + upper snake case. */
  public static String envName(String name) {
    return "SEMLB_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static Duration checkNonNegative(String name, String raw, Duration d) {
    if (d.isNegative()) {
      throw invalid(name, raw, "a duration >= 0");
    }
    return d;
  }

  private static IllegalArgumentException invalid(String name, String raw, String expected) {
    return new IllegalArgumentException(
        "--" + name + ": '" + raw + "' (expected: " + expected + ")");
  }
}
