package dev.semlb.classifier.signals;

import java.util.Arrays;
import java.util.List;

/**
 * The named request signals, in the order of {@link RequestSignals#of}'s vector. Each is cheap to
 * compute and bounded (most are 0/1 or a log scale cut at about 1.5).
 *
 * <p>The order and names are the signal schema: a trained decision head records them and is refused
 * when they differ ({@link #SCHEMA}). Add new signals at the end and bump {@link #VERSION}.
 */
public enum Signal {
  // HTTP method semantics
  METHOD_GET("method GET"),
  METHOD_HEAD("method HEAD"),
  METHOD_POST("method POST"),
  METHOD_PUT("method PUT"),
  METHOD_PATCH("method PATCH"),
  METHOD_DELETE("method DELETE"),
  METHOD_OTHER("other method"),
  SAFE("safe method"),
  IDEMPOTENT("idempotent method"),
  // Body presence, size and type
  HAS_BODY("has a body"),
  BODY_SIZE("body size (log)"),
  BODY_TRUNCATED("body larger than read"),
  TYPE_JSON("JSON body"),
  TYPE_NDJSON("NDJSON body"),
  TYPE_FORM("form body"),
  TYPE_GRAPHQL("GraphQL body"),
  TYPE_TEXT("text body"),
  TYPE_BINARY("binary or multipart body"),
  NDJSON_LINES("NDJSON lines (log)"),
  JSON_KEYS("top-level JSON keys (log)"),
  JSON_DEPTH("JSON depth"),
  JSON_MAX_ARRAY("longest JSON array (log)"),
  JSON_NODES("JSON values (log)"),
  // Query and paging
  QUERY_PARAMS("query parameters (log)"),
  PAGE_SIZE("requested page size (log)"),
  PAGING("paging parameter"),
  // Path shape
  PATH_SEGMENTS("path segments"),
  PATH_ID_SEGMENTS("identifier segments"),
  PATH_ENDS_IN_ID("path ends in an identifier"),
  PATH_UNDERSCORE_ACTION("_action segment"),
  PATH_VERSION("versioned path"),
  // REST vocabulary in path and query words
  WORD_PROBE("probe word (health, status, ping...)"),
  WORD_META("metadata word (info, settings, schema...)"),
  WORD_READ("read verb (get, exists, lookup...)"),
  WORD_SEARCH("search word (search, query, find...)"),
  WORD_BULK("bulk word (bulk, batch, import, reindex...)"),
  WORD_REPORT("report word (report, export, analytics...)"),
  WORD_ML("model word (predict, infer, generate, embed...)"),
  WORD_WRITE("write verb (create, update, delete...)"),
  WORD_AUTH("auth word (login, token, session...)"),
  WORD_COLLECTION("plural collection word last"),
  // GraphQL and SQL structure
  GQL_QUERY("GraphQL query"),
  GQL_MUTATION("GraphQL mutation"),
  GQL_DEPTH("GraphQL selection depth"),
  GQL_FIELDS("GraphQL fields (log)"),
  GQL_PAGE_SIZE("GraphQL first/last size (log)"),
  GQL_CONNECTIONS("GraphQL connections (edges/nodes)"),
  SQL_SELECT("SQL select"),
  SQL_AGGREGATE("SQL aggregation"),
  SQL_JOIN("SQL join"),
  SQL_WRITE("SQL write"),
  // LLM prompts
  PROMPT("LLM prompt"),
  PROMPT_WORDS("prompt words (log)"),
  PROMPT_SHORT("prompt under 10 words"),
  PROMPT_LINES("prompt lines (log)"),
  PROMPT_QUESTION("prompt is a question"),
  PROMPT_WH_START("prompt starts with a question word"),
  PROMPT_CODE_FENCE("code fence"),
  PROMPT_CODE_SYMBOLS("code symbols density"),
  PROMPT_CODE_KEYWORDS("programming keywords"),
  PROMPT_STACK_TRACE("stack trace or error"),
  PROMPT_INDENTED("indented lines"),
  PROMPT_FIRST_PERSON("first-person words"),
  PROMPT_TURNS("conversation turns (log)"),
  PROMPT_SYSTEM("system prompt"),
  PROMPT_MAX_TOKENS("max_tokens (log)"),
  PROMPT_STREAM("stream"),
  PROMPT_TOOLS("tools offered"),
  // Version 2: what the method does to what the path names, and the prompt's text shape
  SAFE_ONE_RECORD("read of one record"),
  SAFE_WITH_BODY("read with a body"),
  SAFE_PROBE("read of a probe"),
  SAFE_META("read of metadata"),
  SAFE_SEARCH("read that searches"),
  SAFE_BULK("read of bulk words"),
  SAFE_REPORT("read of a report"),
  SAFE_ML("read of model words"),
  SAFE_WRITE_WORD("read with a write verb"),
  SAFE_COLLECTION("read of a collection"),
  PROMPT_SENTENCES("prompt sentences (log)"),
  PROMPT_WORD_LENGTH("prompt mean word length"),
  PROMPT_DIGITS("prompt digit share"),
  PROMPT_UPPER("prompt capitals share"),
  PROMPT_URL("prompt has a URL"),
  PROMPT_SYSTEM_WORDS("system prompt words (log)"),
  // What the prompt asks of the answer (system prompt and last user turn)
  PROMPT_ASKS_SHORT("asks for a short answer"),
  PROMPT_ASKS_LONG("asks for a long answer"),
  PROMPT_ARITHMETIC("arithmetic or unit conversion"),
  // Version 4
  PROMPT_SOFTWARE_WORDS("software words (bug, error, file, command...)"),
  // Version 5: is the last user turn a request for work, or conversation?
  PROMPT_ASKS_TASK("asks for a piece of work (write, explain, help me...)"),
  PROMPT_GREETING("opens with a greeting"),
  // Version 6: work on many records, or long-running work, named by HTTP semantics
  MASS_WRITE("write to a whole collection (array body or filter)"),
  WORD_MAINTENANCE("maintenance word (prune, purge, clone, split, upgrade...)"),
  STARTS_JOB("POST that starts a run, job or build"),
  // Version 7: reads over a time window; open questions (discussion, not a quick fact)
  TIME_WINDOW("names a time window (start and end)"),
  PROMPT_OPEN_QUESTION("asks an open question (why, what if, how can I...)"),
  // Version 8: a programming language, data format or software library named in prose.
  // Version 9 (computed differently, no new signal): a GraphQL document that starts with comments
  // is GraphQL; its operation type is its first operation's, after any fragments.
  // Version 10 (computed differently): a title slug in a path (four or more kebab-case words with a
  // function word, how-to-train-your-dragon) is an identifier, not words of the endpoint.
  PROMPT_TECH_NAMES("names a programming language or library (Python, SQL, regex...)"),
  // Version 11: the operation an RPC-style request names (JSON-RPC method, gRPC or Twirp method,
  // custom method, dotted method segment, verb-led last segment), and its verb
  RPC_CALL("names an RPC-style operation"),
  RPC_READ("RPC operation that reads (get, is, info, ping...)"),
  RPC_LIST("RPC operation that lists (list, history...)"),
  RPC_WRITE("RPC operation that writes (set, send, post, change...)");

  /** Bumped whenever signals are added, removed, reordered or computed differently. */
  public static final int VERSION = 11;

  /** The schema: every signal's name, in vector order. */
  public static final List<String> SCHEMA = Arrays.stream(values()).map(Enum::name).toList();

  private final String label;

  Signal(String label) {
    this.label = label;
  }

  /** A short human-readable description, used in explanations. */
  public String label() {
    return label;
  }
}
