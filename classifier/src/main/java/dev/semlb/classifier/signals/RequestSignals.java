package dev.semlb.classifier.signals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semlb.classifier.view.BodyKind;
import dev.semlb.classifier.view.BodyView;
import dev.semlb.classifier.view.PromptParts;
import dev.semlb.classifier.view.RequestView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Computes the {@link Signal}s of a request: HTTP semantics, body shape, paging, path template,
 * REST vocabulary, GraphQL and SQL structure and LLM prompt features.
 *
 * <p>Cost is bounded whatever the request: the path is read up to {@link
 * PathTemplate#MAX_PATH_CHARS}, at most {@link #MAX_QUERY_PARAMS} query parameters and {@link
 * #MAX_JSON_NODES} JSON values are visited, and text signals read the view's already-clipped text.
 * Stateless and thread-safe.
 */
public final class RequestSignals {

  /** Query parameters read. */
  static final int MAX_QUERY_PARAMS = 64;

  /** JSON values visited for the shape signals. */
  static final int MAX_JSON_NODES = 4096;

  static final Set<String> PAGE_SIZE_KEYS =
      Set.of(
          "size",
          "limit",
          "first",
          "last",
          "per_page",
          "perpage",
          "page_size",
          "pagesize",
          "top",
          "count",
          "max",
          "maxresults",
          "max_results",
          "rows",
          "n",
          "take",
          "num",
          "k",
          "top_k",
          "topk",
          "maxitems",
          "max_items");
  private static final Set<String> PAGING_KEYS =
      Set.of(
          "page",
          "offset",
          "cursor",
          "after",
          "before",
          "from",
          "skip",
          "start",
          "scroll",
          "page_token",
          "pagetoken",
          "next",
          "continuation",
          "marker",
          "since");

  /** Fields whose value names what the request does: its words count as the path's do. */
  private static final Set<String> NAME_KEYS =
      Vocabulary.union(Operation.BODY_KEYS, Set.of("operationname", "type"));

  private RequestSignals() {}

  /** The signal vector of {@code view}, indexed by {@link Signal#ordinal()}. */
  public static double[] of(RequestView view) {
    double[] v = new double[Signal.values().length];
    method(view.method(), v);
    PathTemplate path = PathTemplate.of(view.path());
    List<String> words = new ArrayList<>(path.words());
    query(view.query(), words, v);
    body(view, words, v);
    path(path, v);
    vocabulary(words, path, v);
    interactions(v);
    manyOrLong(view, path, v);
    operation(Operation.of(view.path(), view.query(), view.body().json()), v);
    return v;
  }

  /**
   * Writes to a whole collection (a PUT, PATCH or DELETE on a collection path with a JSON array
   * body or a query filter: NetBox-style bulk updates, "delete every droplet with this tag") and
   * POSTs whose last path word names a run, a job or a build: work over many records, or work that
   * runs on after the request.
   */
  private static void manyOrLong(RequestView view, PathTemplate path, double[] v) {
    String method = view.method();
    boolean collectionWrite =
        (method.equals("PUT") || method.equals("PATCH") || method.equals("DELETE"))
            && v[Signal.WORD_COLLECTION.ordinal()] == 1
            && !path.template().substring(path.template().lastIndexOf('/') + 1).startsWith("_");
    JsonNode json = view.body().json();
    boolean many = (json != null && json.isArray()) || !view.query().isEmpty();
    v[Signal.MASS_WRITE.ordinal()] = collectionWrite && many ? 1 : 0;
    if (method.equals("POST")) {
      for (String w : path.lastWords()) {
        mark(v, Signal.STARTS_JOB, Vocabulary.JOB.contains(w));
      }
    }
  }

  private static void operation(Operation.Kind kind, double[] v) {
    mark(v, Signal.RPC_CALL, kind != Operation.Kind.NONE);
    mark(v, Signal.RPC_READ, kind == Operation.Kind.READ);
    mark(v, Signal.RPC_LIST, kind == Operation.Kind.LIST);
    mark(v, Signal.RPC_WRITE, kind == Operation.Kind.WRITE);
  }

  /**
   * What a safe (reading) method does to what the path names; the unsafe side is the difference.
   */
  private static void interactions(double[] v) {
    double safe = v[Signal.SAFE.ordinal()];
    v[Signal.SAFE_ONE_RECORD.ordinal()] = safe * v[Signal.PATH_ENDS_IN_ID.ordinal()];
    v[Signal.SAFE_WITH_BODY.ordinal()] = safe * v[Signal.HAS_BODY.ordinal()];
    v[Signal.SAFE_PROBE.ordinal()] = safe * v[Signal.WORD_PROBE.ordinal()];
    v[Signal.SAFE_META.ordinal()] = safe * v[Signal.WORD_META.ordinal()];
    v[Signal.SAFE_SEARCH.ordinal()] = safe * v[Signal.WORD_SEARCH.ordinal()];
    v[Signal.SAFE_BULK.ordinal()] = safe * v[Signal.WORD_BULK.ordinal()];
    v[Signal.SAFE_REPORT.ordinal()] = safe * v[Signal.WORD_REPORT.ordinal()];
    v[Signal.SAFE_ML.ordinal()] = safe * v[Signal.WORD_ML.ordinal()];
    v[Signal.SAFE_WRITE_WORD.ordinal()] = safe * v[Signal.WORD_WRITE.ordinal()];
    v[Signal.SAFE_COLLECTION.ordinal()] = safe * v[Signal.WORD_COLLECTION.ordinal()];
  }

  /** The last user turn of an LLM request, or "" for any other request. */
  public static String promptText(RequestView view) {
    return view.body().kind() == BodyKind.PROMPT && view.body().json() != null
        ? PromptParts.lastUser(view.body().json())
        : "";
  }

  private static void method(String method, double[] v) {
    switch (method) {
      case "GET" -> v[Signal.METHOD_GET.ordinal()] = 1;
      case "HEAD" -> v[Signal.METHOD_HEAD.ordinal()] = 1;
      case "POST" -> v[Signal.METHOD_POST.ordinal()] = 1;
      case "PUT" -> v[Signal.METHOD_PUT.ordinal()] = 1;
      case "PATCH" -> v[Signal.METHOD_PATCH.ordinal()] = 1;
      case "DELETE" -> v[Signal.METHOD_DELETE.ordinal()] = 1;
      default -> v[Signal.METHOD_OTHER.ordinal()] = 1;
    }
    boolean safe = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    v[Signal.SAFE.ordinal()] = safe ? 1 : 0;
    v[Signal.IDEMPOTENT.ordinal()] =
        safe || method.equals("PUT") || method.equals("DELETE") ? 1 : 0;
  }

  private static void query(String query, List<String> words, double[] v) {
    if (query.isEmpty()) {
      return;
    }
    int params = 0;
    double pageSize = 0;
    List<String> pairs = new ArrayList<>();
    for (String pair : query.split("&", MAX_QUERY_PARAMS + 1)) {
      if (params++ >= MAX_QUERY_PARAMS) {
        break;
      }
      int eq = pair.indexOf('=');
      String key = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      pairs.add(pair);
      if (PAGE_SIZE_KEYS.contains(key)) {
        pageSize = Math.max(pageSize, number(value));
      }
      if (PAGING_KEYS.contains(key)) {
        v[Signal.PAGING.ordinal()] = 1;
      }
      for (String w : key.split("[^a-z0-9]+")) {
        if (!w.isEmpty()) {
          words.add(w);
        }
      }
    }
    v[Signal.QUERY_PARAMS.ordinal()] = log(params, 16);
    mark(v, Signal.TIME_WINDOW, TimeWindow.inQuery(pairs));
    v[Signal.PAGE_SIZE.ordinal()] = Math.max(v[Signal.PAGE_SIZE.ordinal()], log(pageSize, 10_000));
  }

  private static void body(RequestView view, List<String> words, double[] v) {
    BodyView body = view.body();
    if (body.kind() == BodyKind.NONE && body.sizeBytes() == 0) {
      return;
    }
    v[Signal.HAS_BODY.ordinal()] = 1;
    v[Signal.BODY_SIZE.ordinal()] = log(body.sizeBytes(), 65_536);
    v[Signal.BODY_TRUNCATED.ordinal()] = body.truncated() ? 1 : 0;
    String type = view.contentType();
    switch (body.kind()) {
      case JSON, PROMPT, GRPC -> v[Signal.TYPE_JSON.ordinal()] = 1;
      case FORM -> v[Signal.TYPE_FORM.ordinal()] = 1;
      case GRAPHQL -> v[Signal.TYPE_GRAPHQL.ordinal()] = 1;
      case BINARY -> v[Signal.TYPE_BINARY.ordinal()] = 1;
      case TEXT ->
          v[ndjson(type, body.text()) ? Signal.TYPE_NDJSON.ordinal() : Signal.TYPE_TEXT.ordinal()] =
              1;
      default -> {}
    }
    if (v[Signal.TYPE_NDJSON.ordinal()] == 1) {
      long lines = body.text().lines().count();
      if (body.truncated() || body.text().length() * 4L < body.sizeBytes()) {
        lines = Math.max(lines, lines * body.sizeBytes() / Math.max(1, body.text().length()));
      }
      v[Signal.NDJSON_LINES.ordinal()] = log(lines, 1000);
    }
    JsonNode json = body.json();
    if (json != null) {
      JsonShape.measure(json, MAX_JSON_NODES, v);
      pageSizeFields(json, v);
      mark(v, Signal.TIME_WINDOW, TimeWindow.inJson(json, MAX_JSON_NODES));
      nameFields(json, words);
    }
    if (body.kind() == BodyKind.GRAPHQL) {
      QuerySignals.graphql(
          json != null && json.path("query").isTextual()
              ? json.path("query").asText()
              : body.text(),
          json,
          v);
    }
    String sql = QuerySignals.sqlText(body);
    if (sql != null) {
      QuerySignals.sql(sql, v);
    }
    if (body.kind() == BodyKind.PROMPT && json != null) {
      PromptSignals.measure(json, v);
    }
  }

  private static boolean ndjson(String type, String text) {
    if (type.equals("application/x-ndjson")
        || type.equals("application/jsonl")
        || type.equals("application/json-seq")) {
      return true;
    }
    int newline = text.indexOf('\n');
    return newline > 0 && text.startsWith("{") && text.startsWith("{", newline + 1);
  }

  private static void pageSizeFields(JsonNode json, double[] v) {
    if (!json.isObject()) {
      return;
    }
    double size = 0;
    int seen = 0;
    for (var it = json.fields(); it.hasNext() && seen++ < MAX_QUERY_PARAMS; ) {
      var field = it.next();
      String key = field.getKey().toLowerCase(Locale.ROOT);
      if (PAGE_SIZE_KEYS.contains(key) && field.getValue().isNumber()) {
        size = Math.max(size, field.getValue().asDouble());
      }
      if (PAGING_KEYS.contains(key)) {
        v[Signal.PAGING.ordinal()] = 1;
      }
    }
    v[Signal.PAGE_SIZE.ordinal()] = Math.max(v[Signal.PAGE_SIZE.ordinal()], log(size, 10_000));
  }

  /** RPC-style names ({@code "method": "getUserById"}) carry the operation: their words count. */
  private static void nameFields(JsonNode json, List<String> words) {
    if (!json.isObject()) {
      return;
    }
    int seen = 0;
    for (var it = json.fields(); it.hasNext() && seen++ < MAX_QUERY_PARAMS; ) {
      var field = it.next();
      if (NAME_KEYS.contains(field.getKey().toLowerCase(Locale.ROOT))
          && field.getValue().isTextual()) {
        String name = field.getValue().asText();
        PathTemplate.of(
                "/" + (name.length() > 128 ? name.substring(0, 128) : name).replace('.', '/'))
            .words()
            .forEach(words::add);
      }
    }
  }

  private static void path(PathTemplate path, double[] v) {
    v[Signal.PATH_SEGMENTS.ordinal()] = Math.min(path.segments(), 12) / 8.0;
    v[Signal.PATH_ID_SEGMENTS.ordinal()] = Math.min(path.idSegments(), 3) / 2.0;
    v[Signal.PATH_ENDS_IN_ID.ordinal()] = path.lastIsId() ? 1 : 0;
    v[Signal.PATH_UNDERSCORE_ACTION.ordinal()] = path.underscoreAction() ? 1 : 0;
    v[Signal.PATH_VERSION.ordinal()] = path.hasVersion() ? 1 : 0;
  }

  private static void vocabulary(List<String> words, PathTemplate path, double[] v) {
    for (String w : words) {
      mark(v, Signal.WORD_PROBE, Vocabulary.in(Vocabulary.PROBE, w));
      mark(v, Signal.WORD_META, Vocabulary.in(Vocabulary.META, w));
      mark(v, Signal.WORD_READ, Vocabulary.in(Vocabulary.READ, w));
      mark(v, Signal.WORD_SEARCH, Vocabulary.in(Vocabulary.SEARCH, w));
      mark(v, Signal.WORD_BULK, Vocabulary.in(Vocabulary.BULK, w));
      mark(v, Signal.WORD_REPORT, Vocabulary.in(Vocabulary.REPORT, w));
      mark(v, Signal.WORD_ML, Vocabulary.in(Vocabulary.ML, w));
      mark(v, Signal.WORD_WRITE, Vocabulary.in(Vocabulary.WRITE, w));
      mark(v, Signal.WORD_AUTH, Vocabulary.in(Vocabulary.AUTH, w));
    }
    for (String w : path.words()) {
      mark(v, Signal.WORD_MAINTENANCE, Vocabulary.in(Vocabulary.MAINTENANCE, w));
    }
    List<String> pathWords = path.words();
    if (!path.lastIsId() && !pathWords.isEmpty()) {
      String last = pathWords.get(pathWords.size() - 1);
      v[Signal.WORD_COLLECTION.ordinal()] =
          last.length() > 3 && last.endsWith("s") && !last.endsWith("ss") ? 1 : 0;
    }
  }

  private static void mark(double[] v, Signal signal, boolean on) {
    if (on) {
      v[signal.ordinal()] = 1;
    }
  }

  /** {@code log(1 + x) / log(1 + scale)}, cut at 1.5: 1 at {@code scale}. */
  static double log(double x, double scale) {
    if (!(x > 0)) {
      return 0;
    }
    return Math.min(1.5, Math.log1p(x) / Math.log1p(scale));
  }

  private static double number(String s) {
    if (s.isEmpty() || s.length() > 12) {
      return 0;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return 0;
      }
    }
    return Double.parseDouble(s);
  }
}
