package dev.semlb.classifier.envoyroute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Re2SubsetTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/(healthz?|livez|readyz|ping|status|metrics)/?",
        "(/v\\d+)?(/models/[^/]+)?/(predict|infer|inference|train|embeddings)(/.*)?",
        "(?i)^(acme|beta)$",
        "[a-z0-9_\\-]{1,12}",
        "a*?b+?c??",
        "\\bword\\b\\.\\/",
        "(?i:x)(?-i)y"
      })
  void acceptsPatternsBothEnginesReadAlike(String regex) {
    assertThat(Re2Subset.of(Pattern.compile(regex))).isEqualTo(regex);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/(?=users).*", // lookahead
        "(?<!a)b", // lookbehind
        "(a)\\1", // backreference
        "\\w++", // possessive
        "(?>a+)", // atomic group
        "(?<name>a)", // named group
        "[a-z&&[^x]]", // class intersection
        "[a[b]]", // class union
        "\\p{L}+", // Unicode class: RE2 program too large for Envoy's default limit
        "\\u00e9", // Java-only escape
        "a{2000}", // repeat count over RE2's limit
        "(?x)a b", // comments flag
        "[]a]" // leading ']' is literal in RE2 only
      })
  void rejectsWhatRe2ReadsDifferentlyOrNotAtAll(String regex) {
    assertThat(Re2Subset.of(Pattern.compile(regex))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a.b", "/x(1)", "/v1/*?", "a|b", "\\Q\\E"})
  void quotedTextIsALiteral(String text) {
    Pattern quoted = Pattern.compile(Re2Subset.quote(text));
    assertThat(quoted.matcher(text).matches()).isTrue();
  }

  @org.junit.jupiter.api.Test
  void literalBlocksBecomeEscapedText_dotAllBecomesAFlag() {
    assertThat(Re2Subset.of(Pattern.compile(Pattern.quote("/a.b") + ".*", Pattern.DOTALL)))
        .isEqualTo("(?s)/a\\.b.*");
    assertThat(Re2Subset.of(Pattern.compile("x", Pattern.CASE_INSENSITIVE))).isNull();
    assertThat(Re2Subset.of(Pattern.compile("a".repeat(Re2Subset.MAX_LENGTH + 1)))).isNull();
  }
}
