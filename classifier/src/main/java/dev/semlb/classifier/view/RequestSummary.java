package dev.semlb.classifier.view;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The compact text a language model sees for a request: method, the path as words (ids and numbers
 * dropped), query parameter names, then the body's meaningful words, capped at a number of words.
 * Model cost grows with tokens, so this bounds it whatever the body size.
 *
 * <p>For an LLM prompt ({@link BodyKind#PROMPT}) the summary is the prompt alone (last user turn
 * first), with the first words of the system instructions, if any, in its last quarter.
 *
 * <p>Example: {@code POST /v1/models/sentiment/predict} with {@code {"instances":["the parcel
 * arrived broken"]}} becomes {@code "POST models sentiment predict | instances the parcel arrived
 * broken"}. Words found in every kind of request ({@code api}, {@code v1}, {@code jsonrpc}, {@code
 * params}, ...) are dropped so they cannot make unrelated requests look alike. Stateless.
 */
public final class RequestSummary {

  private static final Pattern CAMEL = Pattern.compile("(?<=[a-z])(?=[A-Z])");
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  /** Words that appear in every kind of request and so carry no meaning for routing. */
  private static final Set<String> NOISE =
      Set.of(
          "api", "apis", "rest", "rpc", "jsonrpc", "json", "params", "param", "method", "http",
          "https", "www", "com", "v", "data", "request", "payload");

  private static final Pattern VERSION = Pattern.compile("[vV]\\d+(beta\\d*|alpha\\d*)?");
  private static final Pattern ID_LIKE =
      Pattern.compile("\\d+|[0-9a-fA-F]{8,}|[0-9a-fA-F-]{32,36}|.*\\d.*\\d.*\\d.*");

  /** With a system prompt, 1/4 of the summary's words are its first words. */
  private static final int SYSTEM_SHARE = 4;

  private RequestSummary() {}

  /** Summarizes {@code request} in at most {@code maxWords} words. */
  public static String of(RequestView request, int maxWords) {
    if (request.body().kind() == BodyKind.PROMPT) {
      // An LLM endpoint's path is the same for every prompt: only the prompt tells them apart.
      // The system instructions often say what the task is; their first words come after it.
      String system =
          request.body().json() == null ? "" : PromptParts.system(request.body().json());
      if (system.isBlank()) {
        return ofText(request.body().text(), maxWords);
      }
      int systemWords = Math.max(1, maxWords / SYSTEM_SHARE);
      return (ofText(PromptParts.lastUser(request.body().json()), maxWords - systemWords)
              + " "
              + ofText(system, systemWords))
          .strip();
    }
    StringBuilder out = new StringBuilder(request.method()).append(' ');
    int words = 1;
    words = appendPath(out, request.path(), words, maxWords);
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

  /** Path segments that name one record (numbers, uuids, codes with digits) become "id". */
  private static int appendPath(StringBuilder out, String path, int words, int maxWords) {
    String previous = "";
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || words >= maxWords || VERSION.matcher(segment).matches()) {
        continue;
      }
      if (ID_LIKE.matcher(segment).matches()
          || segment.matches("(?i)[a-z]{0,4}[_-]?[0-9][\\w-]*")) {
        if (!previous.equals("id")) {
          out.append("id ");
          words++;
        }
        previous = "id";
        continue;
      }
      words = appendWords(out, segment, words, maxWords);
      previous = segment;
    }
    return words;
  }

  private static int appendWords(StringBuilder out, String text, int words, int maxWords) {
    for (String raw : NON_WORD.split(CAMEL.matcher(text).replaceAll(" "))) {
      if (words >= maxWords) {
        break;
      }
      if (raw.isEmpty()
          || VERSION.matcher(raw).matches()
          || NOISE.contains(raw.toLowerCase(Locale.ROOT))) {
        continue;
      }
      String scale = scale(raw);
      if (scale != null) {
        out.append(scale).append(' ');
        words++;
        continue;
      }
      if (ID_LIKE.matcher(raw).matches()) {
        continue;
      }
      out.append(raw.length() > 24 ? raw.substring(0, 24) : raw).append(' ');
      words++;
    }
    return words;
  }

  /** Large counts carry meaning (scale) that the digits alone do not give the model. */
  private static String scale(String raw) {
    if (raw.length() < 4 || raw.length() > 12 || !raw.chars().allMatch(Character::isDigit)) {
      return null;
    }
    long n = Long.parseLong(raw);
    if (n >= 1_000_000) {
      return "millions";
    }
    return n >= 1000 && !(n >= 1900 && n <= 2100) ? "thousands" : null;
  }

  /**
   * The same normalization for free text, e.g. a pool's example phrases. Text that is all noise
   * words and ids is kept as written, but still cut to {@code maxWords} words.
   */
  public static String ofText(String text, int maxWords) {
    StringBuilder out = new StringBuilder();
    appendWords(out, text, 0, maxWords);
    String summary = out.toString().strip();
    return summary.isEmpty() ? firstWords(text, maxWords) : summary;
  }

  private static String firstWords(String text, int maxWords) {
    int n = Math.max(maxWords, 0);
    String[] words = text.strip().split("\\s+", n + 1);
    return String.join(" ", Arrays.asList(words).subList(0, Math.min(words.length, n)));
  }
}
