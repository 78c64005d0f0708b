package dev.semlb.classifier.signals;

import java.util.HashSet;
import java.util.Set;

/**
 * REST vocabulary: the words APIs conventionally use in paths, query parameters and RPC method
 * names for probes, metadata, reads, searches, bulk work, reports, model calls, writes and auth. A
 * word counts for a group when it equals one of the group's words or, for words of five letters or
 * more, starts with one ({@code predictions}, {@code exporting}). Immutable.
 */
final class Vocabulary {

  static final Set<String> PROBE =
      Set.of(
          "health",
          "healthz",
          "healthcheck",
          "livez",
          "readyz",
          "live",
          "liveness",
          "ready",
          "readiness",
          "ping",
          "status",
          "heartbeat",
          "alive",
          "version",
          "uptime",
          "metrics");
  // "stats" (node, index, cache statistics) is a cheap status read; "statistics" over records is a
  // report.
  static final Set<String> META =
      Set.of(
          "info",
          "meta",
          "metadata",
          "settings",
          "setting",
          "config",
          "configuration",
          "schema",
          "mapping",
          "mappings",
          "capabilities",
          "features",
          "limits",
          "quota",
          "about",
          "describe",
          "definition",
          "spec",
          "properties",
          "options",
          "stats");

  /** The verbs among the read words: an action's name can start with them ({@code getMe}). */
  static final Set<String> READ_VERBS =
      Set.of(
          "get",
          "show",
          "exists",
          "lookup",
          "fetch",
          "retrieve",
          "read",
          "find",
          "view",
          "peek",
          "check");

  static final Set<String> READ =
      union(READ_VERBS, Set.of("current", "latest", "me", "self", "whoami"));
  static final Set<String> SEARCH =
      Set.of(
          "search",
          "query",
          "msearch",
          "suggest",
          "scroll",
          "autocomplete",
          "filter",
          "match",
          "explain",
          "knn",
          "similar",
          "vector",
          "vectors");
  static final Set<String> BULK =
      Set.of(
          "bulk",
          "batch",
          "batches",
          "import",
          "imports",
          "reindex",
          "mass",
          "sync",
          "migrate",
          "rebuild",
          "recompute",
          "backfill",
          "forcemerge",
          "merge",
          "snapshot",
          "restore",
          "ingest",
          "all",
          "many",
          "multi",
          "by");
  // "archive" is a write verb (archive a repository, a topic, an agent), not an export: it is in
  // WRITE only.
  static final Set<String> REPORT =
      Set.of(
          "report",
          "reports",
          "export",
          "exports",
          "analytics",
          "aggregate",
          "aggregations",
          "aggs",
          "statistics",
          "insights",
          "summary",
          "rollup",
          "download",
          "dump",
          "usage",
          "billing",
          "trends",
          "histogram",
          "timeseries",
          "audit");
  static final Set<String> ML =
      Set.of(
          "predict",
          "prediction",
          "infer",
          "inference",
          "generate",
          "generation",
          "completion",
          "completions",
          "chat",
          "embed",
          "embeddings",
          "embedding",
          "transcribe",
          "transcription",
          "translate",
          "translation",
          "classify",
          "train",
          "training",
          "fine",
          "tuning",
          "finetune",
          "tune",
          "models",
          "model",
          "images",
          "audio",
          "speech",
          "vision",
          "ocr",
          "detect",
          "render",
          "transcode",
          "encode",
          "summarize",
          "moderations",
          "responses",
          "messages",
          "rerank");
  // Maintenance of a store or an index: work over everything it holds, whatever the method.
  static final Set<String> MAINTENANCE =
      Set.of(
          "prune",
          "purge",
          "cleanup",
          "clone",
          "split",
          "shrink",
          "upgrade",
          "compact",
          "vacuum",
          "optimize",
          "rollover",
          "garbage",
          "gc",
          "migration",
          "migrations",
          "backup",
          "backups",
          "flush",
          "reindex",
          "forcemerge",
          "rebuild",
          "restore",
          "snapshot");
  // The last word of a POST that starts work which runs on after the request: a run, a job, a
  // build, a pipeline, an evaluation, a simulation. (A POST to most collections creates one
  // record.)
  static final Set<String> JOB =
      Set.of(
          "runs",
          "run",
          "jobs",
          "job",
          "builds",
          "build",
          "executions",
          "execute",
          "pipelines",
          "pipeline",
          "deployments",
          "deploy",
          "launch",
          "start",
          "trigger",
          "dispatch",
          "push",
          "pull",
          "load",
          "commit",
          "evaluate",
          "evaluations",
          "evals",
          "simulate",
          "simulation",
          "simulations",
          "workflows",
          "tasks",
          "operations",
          "actions",
          "invocations",
          "events");
  static final Set<String> WRITE =
      Set.of(
          "create",
          "update",
          "delete",
          "remove",
          "add",
          "set",
          "edit",
          "put",
          "post",
          "patch",
          "insert",
          "upsert",
          "save",
          "register",
          "unregister",
          "cancel",
          "close",
          "open",
          "archive",
          "star",
          "follow",
          "like",
          "assign",
          "invite",
          "rename",
          "move",
          "copy",
          "lock",
          "unlock");
  static final Set<String> AUTH =
      Set.of(
          "auth",
          "login",
          "logout",
          "signin",
          "signup",
          "signout",
          "token",
          "tokens",
          "oauth",
          "oauth2",
          "session",
          "sessions",
          "password",
          "otp",
          "mfa",
          "sso",
          "authorize",
          "refresh",
          "verify",
          "credentials",
          "keys");

  private Vocabulary() {}

  /** The words of both sets. */
  static Set<String> union(Set<String> a, Set<String> b) {
    HashSet<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  /** Whether {@code word} (lower case) belongs to {@code group}. */
  static boolean in(Set<String> group, String word) {
    if (group.contains(word)) {
      return true;
    }
    if (word.length() < 6) {
      return false;
    }
    for (String w : group) {
      if (w.length() >= 5 && word.startsWith(w)) {
        return true;
      }
    }
    return false;
  }
}
