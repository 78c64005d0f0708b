package dev.semlb.classifier.view;

import java.util.regex.Pattern;

/**
 * The compact text a language model sees for a request: method, the path as words (ids and
 * numbers dropped), query parameter names, then the body's meaningful words, capped at a
 * number of words. Model cost grows with tokens, so this bounds it whatever the body size.
 *
 * <p>Example: {@code POST /v1/models/sentiment/predict} with
 * {@code {"instances":["the parcel arrived broken"]}} becomes
 * {@code "POST v1 models sentiment predict | instances the parcel arrived broken"}.
 * Stateless.
 */
public final class RequestSummary {

  private static final Pattern CAMEL = Pattern.compile("(?<=[a-z])(?=[A-Z])");
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Pattern ID_LIKE =
      Pattern.compile("\\d+|[0-9a-fA-F]{8,}|[0-9a-fA-F-]{32,36}|.*\\d.*\\d.*\\d.*");

  private RequestSummary() {}

  /** Summarizes {@code request} in at most {@code maxWords} words. */
  public static String of(RequestView request, int maxWords) {
    StringBuilder out = new StringBuilder(request.method()).append(' ');
    int words = 1;
    words = appendWords(out, request.path(), words, maxWords);
    if (!request.query().isEmpty()) {
      for (String pair : request.query().split("&")) {
        int eq = pair.indexOf('=');
        words = appendWords(out, eq < 0 ? pair : pair.substring(0, eq), words, maxWords);
      }
    }
    if (!request.body().text().isEmpty() && words < maxWords) {
      out.append("| ");
      appendWords(out, request.body().text(), words, maxWords);
    }
    return out.toString().strip();
  }

  private static int appendWords(StringBuilder out, String text, int words, int maxWords) {
    for (String raw : NON_WORD.split(CAMEL.matcher(text).replaceAll(" "))) {
      if (words >= maxWords) {
        break;
      }
      if (raw.isEmpty() || ID_LIKE.matcher(raw).matches()) {
        continue;
      }
      out.append(raw.length() > 24 ? raw.substring(0, 24) : raw).append(' ');
      words++;
    }
    return words;
  }

  /** The same normalization for free text, e.g. a pool's example phrases. */
  public static String ofText(String text, int maxWords) {
    StringBuilder out = new StringBuilder();
    appendWords(out, text, 0, maxWords);
    String summary = out.toString().strip();
    return summary.isEmpty() ? text : summary;
  }
}
