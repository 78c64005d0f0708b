package dev.semlb.classifier.rules;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A test on the extracted body text: any of the keywords (whole words, case-insensitive) and/or a
 * regex found anywhere. Both parts must pass when both are given. Immutable.
 *
 * @param keywords the keywords as written, possibly empty
 * @param keywordPattern compiled alternation of the keywords, or null when there are none
 * @param regex a regex searched in the text, or null
 */
public record BodyMatch(List<String> keywords, Pattern keywordPattern, Pattern regex) {

  /** Copies the keyword list. */
  public BodyMatch {
    keywords = List.copyOf(keywords);
  }

  /** Builds a test from keywords (any may match) and an optional regex. */
  public static BodyMatch of(List<String> keywords, Pattern regex) {
    Pattern any = null;
    if (!keywords.isEmpty()) {
      StringBuilder alternation = new StringBuilder("(?iu)(?<![\\p{L}\\p{N}_])(?:");
      for (int i = 0; i < keywords.size(); i++) {
        alternation.append(i == 0 ? "" : "|").append(Pattern.quote(keywords.get(i)));
      }
      any = Pattern.compile(alternation.append(")(?![\\p{L}\\p{N}_])").toString());
    }
    return new BodyMatch(keywords, any, regex);
  }

  /** Whether {@code text} passes. */
  public boolean matches(String text) {
    if (keywordPattern != null && !keywordPattern.matcher(text).find()) {
      return false;
    }
    return regex == null || regex.matcher(text).find();
  }
}
