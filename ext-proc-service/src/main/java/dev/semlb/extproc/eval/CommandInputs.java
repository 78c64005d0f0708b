package dev.semlb.extproc.eval;

import dev.semlb.classifier.eval.LabelledRequest;
import dev.semlb.classifier.eval.WorkloadFile;
import dev.semlb.config.Flags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Flag parsing shared by the offline commands ({@code eval}, {@code train}). Stateless. */
final class CommandInputs {

  private CommandInputs() {}

  /** The labelled cases of {@code --name} (one file or several, comma-separated). */
  static List<Path> files(Flags flags, String name, String fallback) {
    String raw = flags.string(name, fallback);
    if (raw == null) {
      throw new IllegalArgumentException(
          "--" + name + ": missing (expected: one or more comma-separated files)");
    }
    List<Path> files = new ArrayList<>();
    for (String part : raw.split(",")) {
      Path p = Path.of(part.trim());
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(
            "--" + name + ": '" + part.trim() + "' (expected: an existing file)");
      }
      files.add(p);
    }
    return files;
  }

  static List<LabelledRequest> read(List<Path> files) throws IOException {
    List<LabelledRequest> cases = new ArrayList<>();
    for (Path f : files) {
      cases.addAll(WorkloadFile.read(f));
    }
    return cases;
  }

  /** A decimal flag within {@code [min, max]}. */
  static double number(Flags flags, String name, double fallback, double min, double max) {
    String raw = flags.string(name, null);
    if (raw == null) {
      return fallback;
    }
    try {
      double v = Double.parseDouble(raw.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        String.format(
            Locale.ROOT, "--%s: '%s' (expected: a number in [%s, %s])", name, raw, min, max));
  }
}
