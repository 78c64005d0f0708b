package dev.semlb.classifier.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadFileTest {

  private static final Path ROOT = Path.of(System.getProperty("semlb.repoRoot", ".."));

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void read_shippedWorkload_everyRequestWithItsFields() throws IOException {
    List<LabelledRequest> workload = WorkloadFile.read(ROOT.resolve("scripts/workload.jsonl"));

    assertThat(workload).hasSize(19);
    assertThat(workload.get(1))
        .isEqualTo(new LabelledRequest("fast-path", "HEAD", "/readyz", "", ""));
    assertThat(workload)
        .extracting(LabelledRequest::expectedPool)
        .containsOnly("fast-path", "high-compute", "general");
    assertThat(workload)
        .filteredOn(r -> r.path().equals("/auth/login"))
        .singleElement()
        .isEqualTo(
            new LabelledRequest(
                "general",
                "POST",
                "/auth/login",
                "application/x-www-form-urlencoded",
                "user=bo&password=hunter2"));
    assertThat(workload.get(workload.size() - 1).body())
        .isEqualTo(
            "{\"query\": \"mutation { addComment(postId: 9, text: \\\"nice\\\") { id } }\"}");
  }

  @Test
  void read_jsonl_absentFieldsAreNoneAndABodyObjectIsSentAsJson() throws IOException {
    Path file =
        write(
            "w.jsonl",
            """
        {"expected": "fast-path", "method": "GET", "path": "/a"}

        {"expected": "general", "method": "POST", "path": "/b", "contentType": "application/json", "body": {"x": [1, "y"]}}
        """);

    assertThat(WorkloadFile.read(file))
        .containsExactly(
            new LabelledRequest("fast-path", "GET", "/a", "", ""),
            new LabelledRequest("general", "POST", "/b", "application/json", "{\"x\":[1,\"y\"]}"));
  }

  @Test
  void read_jsonlWithoutMethod_namesFileLineAndField() throws IOException {
    Path file =
        write(
            "w.jsonl",
            "{\"expected\": \"general\", \"method\": \"GET\", \"path\": \"/\"}\n"
                + "{\"expected\": \"general\", \"path\": \"/\"}\n");

    assertThatThrownBy(() -> WorkloadFile.read(file))
        .hasMessage(file + ":2: 'method' missing (expected: a string)");
  }

  @Test
  void read_tsv_columnsByHeaderAndDashMeansNone() throws IOException {
    Path file =
        write(
            "w.tsv",
            "# columns: method<TAB>path<TAB>expected_pool<TAB>content_type<TAB>body\n"
                + "GET\t/x\tfast-path\t-\t-\n");

    assertThat(WorkloadFile.read(file))
        .containsExactly(new LabelledRequest("fast-path", "GET", "/x", "", ""));
  }
}
