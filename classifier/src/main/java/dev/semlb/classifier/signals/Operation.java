package dev.semlb.classifier.signals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The operation an RPC-style request names where its HTTP method does not say what it does, and
 * what kind of operation that is.
 *
 * <p>The name is found, first match wins, in: a JSON object body's {@code method}, {@code action},
 * {@code operation}, {@code op} or {@code command} field (JSON-RPC, MCP, action envelopes); a gRPC,
 * Twirp or Connect path ({@code /billing.v1.Subscriptions/ChangePlan}); a Google-style custom
 * method ({@code /v1/flags:evaluate}); a {@code method} query parameter (Flickr's {@code
 * ?method=flickr.photos.getInfo}); a dotted last segment (Slack's {@code /conversations.info}); or
 * a last segment that starts with a verb ({@code /getMe}, {@code /files/get_metadata}, {@code
 * /kv/get}; not a noun: {@code /_cluster/settings} names a resource). Its kind comes from the first
 * of its first two words that names one ({@code eth_getBalance}: {@code get}): a read, a list, a
 * write or, for any other word, {@link Kind#OTHER}. Stateless; reads at most {@link
 * #MAX_NAME_CHARS} characters of the name.
 */
final class Operation {

  /** What an operation does, by its verb. */
  enum Kind {
    /** Not an RPC-style request. */
    NONE,
    /** Reads one thing: get, is, exists, info, status, ping... */
    READ,
    /** Lists or pages through things: list, history, replies... */
    LIST,
    /** Writes: create, set, send, post, change... */
    WRITE,
    /** Names an operation whose verb says none of these (simulate, trace, blockNumber...). */
    OTHER
  }

  /** Names longer than this are read only up to it. */
  static final int MAX_NAME_CHARS = 128;

  /** The JSON body fields that name an operation (lower case). */
  static final Set<String> BODY_KEYS = Set.of("method", "action", "operation", "op", "command");

  /** Operation verbs that ask a yes/no question or count: reads. */
  private static final Set<String> QUESTION = Set.of("is", "has", "can", "count");

  private static final Set<String> LIST =
      Set.of("list", "history", "replies", "members", "browse", "enumerate");

  /** Write verbs RPC names use beyond the REST ones of {@link Vocabulary#WRITE}. */
  private static final Set<String> MORE_WRITES =
      Set.of(
          "send",
          "change",
          "approve",
          "reject",
          "mark",
          "join",
          "leave",
          "kick",
          "pin",
          "unpin",
          "revoke",
          "reset",
          "enable",
          "disable",
          "submit",
          "publish",
          "unpublish",
          "install",
          "uninstall",
          "accept",
          "decline",
          "ban",
          "unban",
          "mute",
          "unmute",
          "answer",
          "reply",
          "forward",
          "transfer",
          "refund",
          "charge",
          "pay",
          "restrict",
          "convert",
          "disconnect",
          "promote",
          "demote",
          "ack",
          "acknowledge");

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_./:-]*");
  private static final Pattern SERVICE =
      Pattern.compile("[a-z][a-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)+");
  private static final Pattern UPPER_CAMEL = Pattern.compile("[A-Z][A-Za-z0-9]*");
  private static final Pattern DOTTED = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z_]\\w*)+");

  /** A file name's extension ({@code statements.pdf}): a file, not a dotted method name. */
  private static final Pattern FILE =
      Pattern.compile(
          "(?i).*\\.(pdf|zip|gz|tgz|tar|csv|tsv|txt|png|jpe?g|gif|svg|webp|mp[34]|wav|docx?|xlsx?"
              + "|pptx?|bin|parquet|avro|json|xml|ya?ml|html?|rss|atom|ndjson|jsonl|js|css|ico)$");

  private static final Pattern WORDS = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+");

  private Operation() {}

  /** The kind of operation the request names, or {@link Kind#NONE} when it names none. */
  static Kind of(String path, String query, JsonNode json) {
    String name = name(path, query, json);
    return name == null ? Kind.NONE : kind(name);
  }

  private static String name(String path, String query, JsonNode json) {
    if (json != null && json.isObject()) {
      int seen = 0;
      for (var it = json.fields(); it.hasNext() && seen++ < RequestSignals.MAX_QUERY_PARAMS; ) {
        var field = it.next();
        if (BODY_KEYS.contains(field.getKey().toLowerCase(Locale.ROOT))
            && field.getValue().isTextual()
            && identifier(field.getValue().asText())) {
          return field.getValue().asText();
        }
      }
    }
    String[] segments = PathTemplate.clip(path).split("/");
    String last = segments.length == 0 ? "" : segments[segments.length - 1];
    String before = segments.length < 2 ? "" : segments[segments.length - 2];
    if (SERVICE.matcher(before).matches() && UPPER_CAMEL.matcher(last).matches()) {
      return last;
    }
    int colon = last.lastIndexOf(':');
    if (colon > 0 && colon < last.length() - 1 && identifier(last.substring(colon + 1))) {
      return last.substring(colon + 1);
    }
    String fromQuery = methodParameter(query);
    if (fromQuery != null) {
      return fromQuery;
    }
    if (DOTTED.matcher(last).matches() && !FILE.matcher(last).matches()) {
      return last;
    }
    if (!last.isEmpty() && !PathTemplate.isIdentifier(last)) {
      List<String> words = words(last);
      if (!words.isEmpty() && isVerb(words.get(0))) {
        return last;
      }
    }
    return null;
  }

  private static String methodParameter(String query) {
    int params = 0;
    for (String pair : query.split("&", RequestSignals.MAX_QUERY_PARAMS + 1)) {
      if (params++ >= RequestSignals.MAX_QUERY_PARAMS) {
        break;
      }
      if (pair.regionMatches(true, 0, "method=", 0, 7) && identifier(pair.substring(7))) {
        return pair.substring(7);
      }
    }
    return null;
  }

  private static boolean identifier(String s) {
    return s.length() <= MAX_NAME_CHARS && NAME.matcher(s).matches();
  }

  /** The kind of the first of the name's last part's first two words that has one. */
  static Kind kind(String name) {
    String part = name;
    int cut =
        Math.max(Math.max(name.lastIndexOf('.'), name.lastIndexOf('/')), name.lastIndexOf(':'));
    if (cut >= 0 && cut < name.length() - 1) {
      part = name.substring(cut + 1);
    }
    List<String> words = words(part);
    for (int i = 0; i < Math.min(2, words.size()); i++) {
      Kind kind = verbKind(words.get(i));
      if (kind != Kind.OTHER) {
        return kind;
      }
    }
    return Kind.OTHER;
  }

  /**
   * Whether a last segment's first word is a verb, so that the segment names an action: a noun such
   * as {@code settings}, {@code health} or {@code me} names a resource ({@code PUT
   * /_cluster/settings} writes it), though as an RPC method's name it reads ({@code
   * conversations.info}).
   */
  private static boolean isVerb(String word) {
    return Vocabulary.READ_VERBS.contains(word)
        || QUESTION.contains(word)
        || LIST.contains(word)
        || Vocabulary.WRITE.contains(word)
        || MORE_WRITES.contains(word);
  }

  private static Kind verbKind(String word) {
    if (Vocabulary.READ.contains(word)
        || QUESTION.contains(word)
        || Vocabulary.PROBE.contains(word)
        || Vocabulary.META.contains(word)) {
      return Kind.READ;
    }
    if (LIST.contains(word)) {
      return Kind.LIST;
    }
    if (Vocabulary.WRITE.contains(word) || MORE_WRITES.contains(word)) {
      return Kind.WRITE;
    }
    return Kind.OTHER;
  }

  private static List<String> words(String s) {
    List<String> words = new ArrayList<>();
    for (String w : WORDS.split(s.length() > MAX_NAME_CHARS ? s.substring(0, MAX_NAME_CHARS) : s)) {
      if (!w.isEmpty()) {
        words.add(w.toLowerCase(Locale.ROOT));
      }
    }
    return words;
  }
}
