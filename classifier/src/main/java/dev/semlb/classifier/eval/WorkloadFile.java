package dev.semlb.classifier.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a tab-separated workload of {@link LabelledRequest}s.
 *
 * <p>The file names its columns in a comment line {@code # columns: a<TAB>b<TAB>...}
 * (literally {@code <TAB>} between names). Required columns: {@code method}, {@code path},
 * {@code content_type}, {@code body}, and one whose name starts with {@code expected}.
 * Other columns are ignored, other comment lines and blank lines are skipped, and {@code -}
 * in content_type or body means none. Stateless.
 */
public final class WorkloadFile {

  private WorkloadFile() {}

  /** Reads every request in {@code file}. */
  public static List<LabelledRequest> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> columns = null;
    List<LabelledRequest> requests = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("# columns:")) {
        columns = Arrays.stream(line.substring("# columns:".length()).trim().split("<TAB>"))
            .map(String::trim).toList();
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (columns == null) {
        throw new IOException(file + ":" + (i + 1) + ": data before the '# columns:' line");
      }
      String[] cells = line.split("\t", columns.size());
      if (cells.length != columns.size()) {
        throw new IOException(file + ":" + (i + 1) + ": " + cells.length + " columns (expected: "
            + columns.size() + ")");
      }
      requests.add(new LabelledRequest(
          cell(columns, cells, expectedColumn(file, columns)),
          cell(columns, cells, "method"),
          cell(columns, cells, "path"),
          cell(columns, cells, "content_type"),
          cell(columns, cells, "body")));
    }
    return requests;
  }

  private static String expectedColumn(Path file, List<String> columns) throws IOException {
    return columns.stream().filter(c -> c.startsWith("expected")).findFirst()
        .orElseThrow(() -> new IOException(file + ": no column named expected* in " + columns));
  }

  private static String cell(List<String> columns, String[] cells, String name) throws IOException {
    int index = columns.indexOf(name);
    if (index < 0) {
      throw new IOException("no column '" + name + "' in " + columns);
    }
    String value = cells[index];
    return value.equals("-") ? "" : value;
  }
}
