package dev.semlb.classifier.signals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request path with its record identifiers folded to placeholders, and its words.
 *
 * <p>{@code /v1/Users/42/orderItems/3f2b...c9} becomes the template {@code
 * /v1/users/{id}/orderitems/{id}} and the words {@code users, order, items}. Numbers, UUIDs, hex
 * hashes, dates, codes mixing letters and digits and title slugs ({@code how-to-train-your-dragon})
 * are identifiers; version segments ({@code v1}, {@code v2beta}) are kept in the template but are
 * not words. Segments are split at camelCase, snake_case, kebab-case and dots; a response-format
 * suffix ({@code .json}, {@code .xml}, ...) is dropped, so {@code /admin/badges.json} reads as the
 * collection {@code badges}. Stateless; linear in the path.
 *
 * @param template the folded path, lower case
 * @param words the path's words, lower case, in order
 * @param segments how many non-empty segments the path has
 * @param idSegments how many of them are identifiers
 * @param lastIsId whether the last segment is an identifier
 * @param underscoreAction whether a segment starts with {@code _} (e.g. {@code _search})
 * @param hasVersion whether a segment is a version such as {@code v1}
 * @param lastWords the words of the last segment (none when it is an identifier or a version)
 */
public record PathTemplate(
    String template,
    List<String> words,
    int segments,
    int idSegments,
    boolean lastIsId,
    boolean underscoreAction,
    boolean hasVersion,
    List<String> lastWords) {

  /** Paths longer than this are read only up to it. */
  public static final int MAX_PATH_CHARS = 2048;

  private static final Pattern VERSION = Pattern.compile("[vV]\\d+(\\.\\d+)?([a-z]+\\d*)?");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{12,}");
  private static final Pattern DATE =
      Pattern.compile("\\d{4}-\\d{2}(-\\d{2})?([tT][\\d:.]+[zZ]?)?");
  private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");

  /** A parameter name left in a path, such as {@code user_id} or {@code orderId}. */
  private static final Pattern NAMED_ID =
      Pattern.compile("[a-z][a-z0-9]*([_-][a-z0-9]+)*[_-]id|[a-z][a-zA-Z0-9]*Id");

  /** A response-format suffix ({@code /badges.json}, {@code /feed.rss}): not a word of the path. */
  private static final Pattern FORMAT =
      Pattern.compile("(?i)\\.(json|xml|ya?ml|csv|tsv|txt|html?|rss|atom|ndjson|jsonl)$");

  /** A lower-case kebab-case segment of at least four words, the shape of a title slug. */
  private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+){3,}");

  /**
   * Function words: a title has them ({@code how-to-train-your-dragon}), an endpoint name almost
   * never does ({@code fork-pr-workflows-private-repos}, {@code default-copy-settings-target}).
   */
  private static final Set<String> FUNCTION_WORDS =
      Set.of(
          "a", "an", "the", "to", "of", "in", "on", "for", "with", "and", "or", "how", "why",
          "what", "when", "where", "your", "my", "our", "is", "are", "you", "i", "we", "it", "this",
          "that", "from", "at");

  private static final Pattern SPLIT = Pattern.compile("(?<=[a-z])(?=[A-Z])|[^\\p{L}\\p{N}]+");

  /** Copies the word list. */
  public PathTemplate {
    words = List.copyOf(words);
    lastWords = List.copyOf(lastWords);
  }

  /** The template of {@code path} (no query string). */
  public static PathTemplate of(String path) {
    String p = clip(path);
    StringBuilder template = new StringBuilder();
    List<String> words = new ArrayList<>();
    int segments = 0;
    int ids = 0;
    boolean lastIsId = false;
    boolean underscore = false;
    boolean version = false;
    int lastStart = 0;
    for (String raw : p.split("/")) {
      String segment = FORMAT.matcher(raw).replaceFirst("");
      if (segment.isEmpty()) {
        continue;
      }
      segments++;
      lastStart = words.size();
      template.append('/');
      if (VERSION.matcher(segment).matches()) {
        version = true;
        lastIsId = false;
        template.append(segment.toLowerCase(Locale.ROOT));
        continue;
      }
      if (isIdentifier(segment)) {
        ids++;
        lastIsId = true;
        template.append("{id}");
        continue;
      }
      lastIsId = false;
      underscore |= segment.charAt(0) == '_';
      template.append(segment.toLowerCase(Locale.ROOT));
      for (String word : SPLIT.split(segment)) {
        if (!word.isEmpty() && !NUMBER.matcher(word).matches()) {
          words.add(word.toLowerCase(Locale.ROOT));
        }
      }
    }
    return new PathTemplate(
        template.length() == 0 ? "/" : template.toString(),
        words,
        segments,
        ids,
        lastIsId,
        underscore,
        version,
        words.subList(lastStart, words.size()));
  }

  /** {@code path} up to {@link #MAX_PATH_CHARS}: as much of a path as any signal reads. */
  static String clip(String path) {
    return path.length() > MAX_PATH_CHARS ? path.substring(0, MAX_PATH_CHARS) : path;
  }

  /**
   * Whether a path segment names one record rather than a collection or an action: a number, UUID,
   * hash, date, a {@code {param}} / {@code :param} placeholder, a parameter name such as {@code
   * user_id}, a token with at least two digits (order numbers, SKUs), or a title slug: four or more
   * kebab-case words with a function word among them, so that the words of a blog post's title
   * ({@code train} in {@code /articles/how-to-train-your-dragon/comments}) are not read as the
   * endpoint's.
   */
  static boolean isIdentifier(String segment) {
    if (segment.startsWith("{") || segment.startsWith(":") || segment.startsWith("<")) {
      return true;
    }
    if (NAMED_ID.matcher(segment).matches()) {
      return true;
    }
    if (NUMBER.matcher(segment).matches()
        || UUID.matcher(segment).matches()
        || DATE.matcher(segment).matches()) {
      return true;
    }
    if (HEX.matcher(segment).matches() && segment.chars().anyMatch(Character::isDigit)) {
      return true;
    }
    if (isTitleSlug(segment)) {
      return true;
    }
    int digits = 0;
    for (int i = 0; i < segment.length(); i++) {
      if (Character.isDigit(segment.charAt(i))) {
        digits++;
      }
    }
    return digits >= 2 && digits * 4 >= segment.length();
  }

  private static boolean isTitleSlug(String segment) {
    if (!KEBAB.matcher(segment).matches()) {
      return false;
    }
    for (String word : segment.split("-")) {
      if (FUNCTION_WORDS.contains(word)) {
        return true;
      }
    }
    return false;
  }
}
