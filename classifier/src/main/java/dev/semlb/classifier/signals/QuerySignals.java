package dev.semlb.classifier.signals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semlb.classifier.view.BodyKind;
import dev.semlb.classifier.view.BodyView;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query-language signals of a body: GraphQL operation type, selection depth, field count, largest
 * {@code first:}/{@code last:} page and connections; SQL select, aggregation, join and write. Reads
 * at most 8 KiB of a GraphQL document and 4 KiB of SQL, each in one linear pass. Stateless.
 */
final class QuerySignals {

  private static final Pattern SQL_SELECT =
      Pattern.compile("(?i)^\\s*(with\\b[^;]{0,400}?)?select\\b");
  private static final Pattern SQL_AGG =
      Pattern.compile(
          "(?i)\\b(group\\s+by|having|count\\s*\\(|sum\\s*\\(|avg\\s*\\(|percentile\\w*\\s*\\(|over\\s*\\(|rollup|cube)");
  private static final Pattern SQL_JOIN = Pattern.compile("(?i)\\bjoin\\b");
  private static final Pattern SQL_WRITE =
      Pattern.compile("(?i)^\\s*(insert|update|delete|merge|upsert)\\b");
  private static final Pattern GQL_PAGE =
      Pattern.compile("\\b(first|last|limit|pageSize|take)\\s*:\\s*(\\d{1,9})");
  private static final Pattern GQL_CONNECTION = Pattern.compile("\\b(edges|nodes)\\b");
  private static final Pattern GQL_FIELD = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");

  private QuerySignals() {}

  static void graphql(String query, JsonNode json, double[] v) {
    String q = query.length() > 8192 ? query.substring(0, 8192) : query;
    // The operation's type is that of the first operation definition at the top level: comments
    // and fragment definitions may come first ("#graphql fragment F on T { ... } mutation ...").
    String operation = null;
    boolean fragmentHeader = false;
    int depth = 0;
    int maxDepth = 0;
    int parens = 0;
    int fields = 0;
    int i = 0;
    while (i < q.length()) {
      char c = q.charAt(i);
      if (c == '#') {
        int end = q.indexOf('\n', i);
        i = end < 0 ? q.length() : end;
        continue;
      }
      if (c == '"') {
        int end = q.indexOf('"', i + 1);
        i = end < 0 ? q.length() : end + 1;
        continue;
      }
      if (c == '{' && depth == 0 && parens == 0) {
        if (operation == null && !fragmentHeader) {
          operation = "query"; // the shorthand: an anonymous query
        }
        fragmentHeader = false;
      }
      switch (c) {
        case '{' -> maxDepth = Math.max(maxDepth, ++depth);
        case '}' -> depth = Math.max(0, depth - 1);
        case '(' -> parens++;
        case ')' -> parens = Math.max(0, parens - 1);
        default -> {}
      }
      if (depth == 0 && parens == 0 && operation == null && (Character.isLetter(c) || c == '_')) {
        Matcher m = GQL_FIELD.matcher(q).region(i, q.length());
        if (m.lookingAt()) {
          String word = m.group();
          if (word.equals("fragment")) {
            fragmentHeader = true;
          } else if (!fragmentHeader
              && (word.equals("query") || word.equals("mutation") || word.equals("subscription"))) {
            operation = word;
          }
          i = m.end();
          continue;
        }
      }
      if (depth > 0 && parens == 0 && (Character.isLetter(c) || c == '_')) {
        Matcher m = GQL_FIELD.matcher(q).region(i, q.length());
        if (m.lookingAt()) {
          fields++;
          i = m.end();
          continue;
        }
      }
      i++;
    }
    v["mutation".equals(operation) ? Signal.GQL_MUTATION.ordinal() : Signal.GQL_QUERY.ordinal()] =
        1;
    v[Signal.GQL_DEPTH.ordinal()] = Math.min(maxDepth, 12) / 8.0;
    v[Signal.GQL_FIELDS.ordinal()] = RequestSignals.log(fields, 200);
    double page = 0;
    Matcher m = GQL_PAGE.matcher(q);
    while (m.find()) {
      page = Math.max(page, Double.parseDouble(m.group(2)));
    }
    if (json != null && json.path("variables").isObject()) {
      int seen = 0;
      for (var it = json.path("variables").fields();
          it.hasNext() && seen++ < RequestSignals.MAX_QUERY_PARAMS; ) {
        var field = it.next();
        if (RequestSignals.PAGE_SIZE_KEYS.contains(field.getKey().toLowerCase(Locale.ROOT))
            && field.getValue().isNumber()) {
          page = Math.max(page, field.getValue().asDouble());
        }
      }
    }
    v[Signal.GQL_PAGE_SIZE.ordinal()] = RequestSignals.log(page, 1000);
    int connections = 0;
    Matcher c = GQL_CONNECTION.matcher(q);
    while (c.find() && connections < 50) {
      connections++;
    }
    v[Signal.GQL_CONNECTIONS.ordinal()] = RequestSignals.log(connections, 20);
  }

  /**
   * The SQL text of a body: a JSON {@code query}/{@code sql}/{@code statement} string, or a text
   * body.
   */
  static String sqlText(BodyView body) {
    JsonNode json = body.json();
    if (json != null && json.isObject()) {
      for (String key : new String[] {"query", "sql", "statement", "q"}) {
        JsonNode node = json.get(key);
        if (node != null && node.isTextual()) {
          return node.asText();
        }
      }
      return null;
    }
    return body.kind() == BodyKind.TEXT ? body.text() : null;
  }

  static void sql(String sql, double[] v) {
    String s = sql.length() > 4096 ? sql.substring(0, 4096) : sql;
    if (SQL_SELECT.matcher(s).find()) {
      v[Signal.SQL_SELECT.ordinal()] = 1;
      v[Signal.SQL_AGGREGATE.ordinal()] = SQL_AGG.matcher(s).find() ? 1 : 0;
      v[Signal.SQL_JOIN.ordinal()] = SQL_JOIN.matcher(s).find() ? 1 : 0;
    } else if (SQL_WRITE.matcher(s).find()) {
      v[Signal.SQL_WRITE.ordinal()] = 1;
    }
  }
}
