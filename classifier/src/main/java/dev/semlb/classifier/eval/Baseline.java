package dev.semlb.classifier.eval;

import dev.semlb.classifier.signals.RequestSignals;
import dev.semlb.classifier.view.RequestView;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The naive keyword-and-length routers every evaluation is printed next to, so a number can be read
 * against what ten lines of code achieve:
 *
 * <ul>
 *   <li>pools {@code code}, {@code chat}, {@code fast}: the keyword-plus-length router of the
 *       reference seed: programming keywords in the prompt → code; fewer than 10 words → fast; else
 *       chat;
 *   <li>pools {@code fast-path}, {@code general}, {@code high-compute}: heavy-work keywords in the
 *       path or body → high-compute; a GET or HEAD without a body → fast-path; else general;
 *   <li>any other pools: everything to the default pool.
 * </ul>
 *
 * Stateless.
 */
public final class Baseline {

  private static final Pattern CODE =
      Pattern.compile(
          "(?i)\\b(code|function|class|def |import |react|typescript|python|javascript|api)\\b");
  private static final Pattern HEAVY =
      Pattern.compile(
          "(?i)(search|report|export|analytics|aggregat|predict|infer|train|embed|bulk|batch|completion|generate)");

  private final String name;
  private final Kind kind;
  private final String defaultPool;

  private enum Kind {
    LLM,
    API,
    DEFAULT
  }

  private Baseline(String name, Kind kind, String defaultPool) {
    this.name = name;
    this.kind = kind;
    this.defaultPool = defaultPool;
  }

  /** The baseline for a config's pools. */
  public static Baseline forPools(List<String> pools, String defaultPool) {
    if (pools.containsAll(List.of("code", "chat", "fast"))) {
      return new Baseline("keyword+length (code keywords, < 10 words)", Kind.LLM, defaultPool);
    }
    if (pools.containsAll(List.of("fast-path", "general", "high-compute"))) {
      return new Baseline("keyword+method (heavy words, bodiless GET)", Kind.API, defaultPool);
    }
    return new Baseline("default pool", Kind.DEFAULT, defaultPool);
  }

  /** A short description for reports. */
  public String name() {
    return name;
  }

  /** The pool this baseline picks for {@code view}. */
  public String classify(RequestView view) {
    return switch (kind) {
      case LLM -> {
        String prompt = RequestSignals.promptText(view);
        if (prompt.isEmpty()) {
          prompt = view.body().text();
        }
        if (CODE.matcher(prompt).find()) {
          yield "code";
        }
        yield prompt.strip().split("\\s+").length < 10 ? "fast" : "chat";
      }
      case API -> {
        if (HEAVY.matcher(view.path()).find() || HEAVY.matcher(view.body().text()).find()) {
          yield "high-compute";
        }
        boolean read = view.method().equals("GET") || view.method().equals("HEAD");
        yield read && view.body().sizeBytes() == 0 ? "fast-path" : "general";
      }
      case DEFAULT -> defaultPool;
    };
  }
}
