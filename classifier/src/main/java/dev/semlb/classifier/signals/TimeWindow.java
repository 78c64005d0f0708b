package dev.semlb.classifier.signals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Does a request name both ends of a time window ({@code ?start=...&end=...}, {@code
 * "start_time"}/{@code "end_time"}, {@code "since"}/{@code "until"})? Such reads return or
 * aggregate everything recorded in the window (metrics, usage and cost reports, shifts in a date
 * range), which costs more than a read of one record. One end alone is not enough: {@code from} and
 * {@code start} are also paging offsets. Keys are compared without case, dashes or underscores. The
 * bare keys {@code start}, {@code end}, {@code from}, {@code to} and {@code begin} also name other
 * things (a currency pair, a shift swapped between two people), so they count only with a time-like
 * value: a date, an epoch timestamp, {@code now}, {@code *} or a relative time such as {@code -1d}.
 * Stateless.
 *
 * <p>Invariant: at most the given number of JSON values are visited, breadth-first without
 * recursion, so the cost is bounded whatever the body.
 */
final class TimeWindow {

  static final Set<String> START =
      Set.of(
          "start",
          "from",
          "since",
          "begin",
          "starttime",
          "startdate",
          "startat",
          "startts",
          "fromdate",
          "fromtime",
          "mintime",
          "timefrom",
          "datefrom",
          "periodstart");
  static final Set<String> END =
      Set.of(
          "end",
          "to",
          "until",
          "endtime",
          "enddate",
          "endat",
          "endts",
          "todate",
          "totime",
          "maxtime",
          "timeto",
          "dateto",
          "periodend");

  private static final Set<String> AMBIGUOUS = Set.of("start", "end", "from", "to", "begin");

  private static final Pattern TIME_LIKE =
      Pattern.compile(
          "(?i)\\d{9,13}|\\d{4}-\\d{2}(-\\d{2})?([t ].*)?|\\*([-+]\\d+[smhdwy])?|now([-+/].*)?"
              + "|[-+]\\d+[smhdwy]|today|yesterday");

  private TimeWindow() {}

  /** Which end of a window {@code key} names with {@code value}: -1 start, 1 end, 0 neither. */
  static int end(String rawKey, String value) {
    String key = key(rawKey);
    boolean start = START.contains(key);
    if (!start && !END.contains(key)) {
      return 0;
    }
    if (AMBIGUOUS.contains(key)
        && !TIME_LIKE.matcher(URLDecoder.decode(value, StandardCharsets.UTF_8).strip()).matches()) {
      return 0;
    }
    return start ? -1 : 1;
  }

  /** A key as compared: lower case, without {@code -} and {@code _}. */
  static String key(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '-' && c != '_') {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** Both ends named among the query's parameters ({@code key=value}, still URL-encoded). */
  static boolean inQuery(Iterable<String> pairs) {
    boolean start = false;
    boolean end = false;
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      int side = end(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
      start |= side < 0;
      end |= side > 0;
    }
    return start && end;
  }

  /**
   * Both ends named as keys of scalar values (strings or numbers; not booleans, nulls or
   * containers) anywhere in {@code root}, visiting at most {@code maxNodes} values.
   */
  static boolean inJson(JsonNode root, int maxNodes) {
    boolean start = false;
    boolean end = false;
    Deque<JsonNode> queue = new ArrayDeque<>();
    queue.add(root);
    int nodes = 0;
    while (!queue.isEmpty() && nodes < maxNodes && !(start && end)) {
      JsonNode node = queue.poll();
      nodes++;
      if (node.isObject()) {
        for (var it = node.fields(); it.hasNext() && queue.size() + nodes < maxNodes; ) {
          var field = it.next();
          JsonNode value = field.getValue();
          if (value.isTextual() || value.isNumber()) {
            int side = end(field.getKey(), value.asText());
            start |= side < 0;
            end |= side > 0;
          } else if (value.isContainerNode()) {
            queue.add(value);
          }
        }
      } else if (node.isArray()) {
        for (JsonNode child : node) {
          if (queue.size() + nodes >= maxNodes) {
            break;
          }
          if (child.isContainerNode()) {
            queue.add(child);
          }
        }
      }
    }
    return start && end;
  }
}
