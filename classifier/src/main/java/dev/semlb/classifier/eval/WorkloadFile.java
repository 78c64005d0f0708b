package dev.semlb.classifier.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads workloads of {@link LabelledRequest}s: JSON lines ({@code .jsonl}), the format of the
 * shipped workload ({@code scripts/workload.jsonl}) and of the evaluation corpora, or tab-separated
 * ({@code .tsv}, for the reference workload and cases handed over in that form).
 *
 * <p>JSON lines: one object per line with {@code expected} (the pool), {@code method} and {@code
 * path} (strings, required), {@code contentType} and {@code body} (absent or {@code ""} for none; a
 * body that is not a string is sent as its compact JSON text) and optionally {@code source}; blank
 * lines are skipped. scripts/load-test.sh, bench/e2e/soak.py and the dashboard's browser test read
 * the same fields with their language's JSON parser.
 *
 * <p>TSV: the file names its columns in a comment line {@code # columns: a<TAB>b<TAB>...}
 * (literally {@code <TAB>} between names). Required columns: {@code method}, {@code path}, {@code
 * content_type}, {@code body}, and one whose name starts with {@code expected}. Other columns are
 * ignored, other comment lines and blank lines are skipped, and {@code -} in content_type or body
 * means none. Stateless.
 */
public final class WorkloadFile {

  private WorkloadFile() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads every request in {@code file}, by its extension (.jsonl, else TSV). */
  public static List<LabelledRequest> read(Path file) throws IOException {
    if (file.getFileName().toString().endsWith(".jsonl")) {
      return readJsonl(file);
    }
    return readTsv(file);
  }

  private static List<LabelledRequest> readJsonl(Path file) throws IOException {
    List<LabelledRequest> requests = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(lines.get(i));
      } catch (IOException e) {
        throw new IOException(
            file
                + ":"
                + (i + 1)
                + ": not JSON ("
                + e.getMessage().lines().findFirst().orElse("")
                + ")",
            e);
      }
      for (String field : new String[] {"method", "path", "expected"}) {
        if (!node.path(field).isTextual()) {
          throw new IOException(
              file + ":" + (i + 1) + ": '" + field + "' missing (expected: a string)");
        }
      }
      JsonNode body = node.path("body");
      requests.add(
          new LabelledRequest(
              node.get("expected").asText(),
              node.get("method").asText(),
              node.get("path").asText(),
              node.path("contentType").asText(""),
              body.isMissingNode() || body.isNull()
                  ? ""
                  : body.isTextual() ? body.asText() : body.toString(),
              node.path("source").asText("")));
    }
    return requests;
  }

  private static List<LabelledRequest> readTsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> columns = null;
    List<LabelledRequest> requests = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("# columns:")) {
        columns =
            Arrays.stream(line.substring("# columns:".length()).trim().split("<TAB>"))
                .map(String::trim)
                .toList();
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
        throw new IOException(
            file
                + ":"
                + (i + 1)
                + ": "
                + cells.length
                + " columns (expected: "
                + columns.size()
                + ")");
      }
      requests.add(
          new LabelledRequest(
              cell(columns, cells, expectedColumn(file, columns)),
              cell(columns, cells, "method"),
              cell(columns, cells, "path"),
              cell(columns, cells, "content_type"),
              cell(columns, cells, "body")));
    }
    return requests;
  }

  private static String expectedColumn(Path file, List<String> columns) throws IOException {
    return columns.stream()
        .filter(c -> c.startsWith("expected"))
        .findFirst()
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
