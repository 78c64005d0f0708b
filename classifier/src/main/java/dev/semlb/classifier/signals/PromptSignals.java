package dev.semlb.classifier.signals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semlb.classifier.view.PromptParts;
import java.util.regex.Pattern;

/**
 * Signals of an LLM request body (OpenAI chat/completions/responses, Anthropic messages, Ollama
 * chat/generate): the last user turn's length and form, code markers, conversation turns, system
 * prompt, {@code max_tokens}, {@code stream} and tools. The parts come from {@link PromptParts}.
 * Stateless.
 */
final class PromptSignals {

  private static final Pattern WORD = Pattern.compile("\\S+");
  private static final Pattern WH_START =
      Pattern.compile(
          "(?i)^\\s*(who|what|when|where|which|whom|whose|why|how|is|are|was|were|do|does|did|can|could|should|would|will)\\b");
  private static final Pattern CODE_KEYWORDS =
      Pattern.compile(
          "(\\bdef |\\bfunction\\b|\\bclass \\w|\\bimport \\w|\\breturn\\b|\\bpublic \\w|\\bstatic \\w|\\bvoid\\b"
              + "|\\bconst \\w|\\blet \\w|\\bvar \\w|#include|\\bSELECT\\b|\\bFROM\\b|=>|==|!=|&&|\\|\\||\\bfor \\(|\\bwhile \\("
              + "|\\bprintf\\b|\\bconsole\\.|\\bself\\.|\\bnull\\b|\\bNone\\b|\\bint \\w|\\bstring\\b|\\bsudo\\b|\\bnpm\\b|\\bgit \\w"
              + "|\\bpip\\b|\\$ \\w|\\w+\\(\\)|\\w+\\.\\w+\\()");
  private static final Pattern STACK_TRACE =
      Pattern.compile(
          "(Traceback \\(most recent call last\\)|\\bat [\\w.$]+\\([\\w.]*:?\\d*\\)|\\b\\w+(Error|Exception)\\b|\\berror:|"
              + "\\bpanic:|segmentation fault|\\bundefined reference\\b)");
  // Words about software and its defects, in prose: a bug report or a shell task names few
  // keywords of a language but many of these (steps to reproduce, the app, the file, the command).
  private static final Pattern SOFTWARE_WORDS =
      Pattern.compile(
          "(?i)\\b(bugs?|errors?|crash(es|ed)?|exceptions?|fail(s|ed|ing|ure)?|broken|fix(es|ed)?|regressions?|reproduc\\w*"
              + "|expected (result|behaviou?r)|actual (result|behaviou?r)|workaround|apps?|applications?|buttons?|click(s|ed)?"
              + "|screens?|ui|api|endpoints?|servers?|databases?|deploy\\w*|builds?|compil\\w*|install\\w*|versions?"
              + "|files?|director(y|ies)|folders?|commands?|terminal|shell|scripts?|repositor(y|ies)|repo|commits?|branch(es)?"
              + "|linux|bash|unix|process(es)?|ports?|logs?|config\\w*|console|browser|staging|production)\\b");
  // Programming languages, data formats and libraries named in prose ("a python script", "in
  // pyqt6", "a regex that ..."): a programming task described in words, with no code in it yet.
  // Names that are mostly everyday words (go, swift, ruby, spring, rails, react, assembly) are
  // left out. At most 20 are counted.
  private static final Pattern TECH_NAMES =
      Pattern.compile(
          "(?i)(?<![\\w.])(python|javascript|typescript|java|kotlin|scala|c\\+\\+|c#|golang|rust|php|perl"
              + "|haskell|ocaml|elixir|erlang|clojure|matlab|fortran|cobol|sql|mysql|postgres(ql)?|sqlite"
              + "|mongodb|html|css|json|yaml|xml|regex(es)?|django|flask|node\\.?js|numpy|pandas|pytorch"
              + "|tensorflow|docker|kubernetes|vba|powershell|pyqt\\d?|opengl|jquery|graphql)(?!\\w)");
  // A request for a piece of work: an imperative work verb first ("write ...", "please explain
  // ..."), or the verb asked for ("can you summarize", "I want you to", "help me"). Conversation
  // (small talk, an opinion asked, a statement about oneself) has none.
  private static final String WORK_VERBS =
      "(write|create|generate|make|draft|compose|explain|describe|summari[sz]e|list|give|provide"
          + "|help|tell|design|plan|suggest|recommend|rewrite|translate|analy[sz]e|compare|outline|act"
          + "|imagine|pretend|develop|build|implement|convert|find|calculate|solve)";
  private static final Pattern ASKS_TASK =
      Pattern.compile(
          "(?i)^\\s*(please\\s+)?"
              + WORK_VERBS
              + "\\b|\\b(can|could|would|will) you (please )?"
              + WORK_VERBS
              + "\\b|\\bi (want|need|would like) you to\\b|\\bhelp me\\b");
  private static final Pattern GREETING =
      Pattern.compile(
          "(?i)^\\s*(hi|hey|hello|howdy|hiya|yo|good (morning|afternoon|evening)|what'?s up|sup"
              + "|greetings)\\b");
  // An open question asks for discussion, reasons or advice ("what if ...", "why ...", "how can I
  // ...", "what are the main differences ..."): short, yet not a quick factual answer.
  private static final Pattern OPEN_QUESTION =
      Pattern.compile(
          "(?i)^\\s*(what if|why\\b|how (can|could|do|does|should|would|might|to)\\b"
              + "|what (are|were) (the )?(main |key |major |potential |possible |some )?(differences|benefits"
              + "|advantages|pros|cons|implications|consequences|factors|ways|causes|effects|challenges|reasons)"
              + "|what (would|should|do you think|might)|should i\\b|is it (better|worth|possible))");
  private static final Pattern FIRST_PERSON =
      Pattern.compile("(?i)\\b(i|i'm|i've|me|my|myself|we|our)\\b");

  // What the answer should look like, as the prompt words it. Only the first and last
  // ANSWER_WINDOW characters of the system prompt and of the last user turn are searched,
  // where such instructions sit, so the cost is bounded whatever the prompt's length.
  private static final int ANSWER_WINDOW = 1500;
  private static final Pattern ASKS_SHORT =
      Pattern.compile(
          "(?i)\\b(yes or no|yes/no|true or false|one word|single word|a single (number|word|letter|digit|integer|value)"
              + "|(only|just) (the|a|one) (number|answer|name|word|letter|result|value|date|category|label)"
              + "|no explanations?|without (any )?explanations?|do not explain|don'?t explain|nothing else"
              + "|(answer|respond|reply|output) (only|simply|just)|only (output|answer|respond|reply|return)"
              + "|as (short|concisely|briefly) as possible|one[- ]sentence answer|short answer|in one sentence)\\b");
  private static final Pattern ASKS_LONG =
      Pattern.compile(
          "(?i)\\b(essay|in (great )?detail|in depth|in-depth|detailed|step[- ]by[- ]step|thorough(ly)?|comprehensive"
              + "|at least \\d+ (words|paragraphs)|\\d{3,} words|(several|multiple|\\d+) paragraphs|long[- ]form)\\b");
  private static final Pattern ARITHMETIC =
      Pattern.compile(
          "(?i)(\\d\\s*[+\u00d7*^]\\s*\\d|\\d\\s+[-/]\\s+\\d|\\d\\s*%|\\d\\s*(kg|kilograms?|g|grams?|km|kilometers?|kilometres?|m|meters?|metres?"
              + "|cm|centimet(er|re)s?|mm|miles?|feet|foot|ft|inch(es)?|lbs?|pounds?|ounces?|oz|liters?|litres?|gallons?"
              + "|\u00b0\\s?[cf]|celsius|fahrenheit|percent|usd|eur|dollars?|euros?)\\b|\\bconvert\\b.{0,40}\\b(to|into|in)\\b)");

  private PromptSignals() {}

  static void measure(JsonNode body, double[] v) {
    v[Signal.PROMPT.ordinal()] = 1;
    String prompt = PromptParts.lastUser(body);
    int words = words(prompt);
    v[Signal.PROMPT_WORDS.ordinal()] = RequestSignals.log(words, 500);
    v[Signal.PROMPT_SHORT.ordinal()] = words < 10 ? 1 : 0;
    long lines = prompt.lines().count();
    v[Signal.PROMPT_LINES.ordinal()] = RequestSignals.log(lines, 100);
    String stripped = prompt.strip();
    v[Signal.PROMPT_QUESTION.ordinal()] = stripped.endsWith("?") ? 1 : 0;
    v[Signal.PROMPT_WH_START.ordinal()] = WH_START.matcher(stripped).lookingAt() ? 1 : 0;
    v[Signal.PROMPT_CODE_FENCE.ordinal()] = prompt.contains("```") ? 1 : 0;
    v[Signal.PROMPT_CODE_SYMBOLS.ordinal()] = symbolDensity(prompt);
    v[Signal.PROMPT_CODE_KEYWORDS.ordinal()] =
        RequestSignals.log(count(CODE_KEYWORDS, prompt, 50), 10);
    v[Signal.PROMPT_SOFTWARE_WORDS.ordinal()] =
        RequestSignals.log(count(SOFTWARE_WORDS, prompt, 100), 20);
    v[Signal.PROMPT_TECH_NAMES.ordinal()] = RequestSignals.log(count(TECH_NAMES, prompt, 20), 20);
    v[Signal.PROMPT_STACK_TRACE.ordinal()] = STACK_TRACE.matcher(prompt).find() ? 1 : 0;
    v[Signal.PROMPT_ASKS_TASK.ordinal()] = asks(ASKS_TASK, prompt) ? 1 : 0;
    v[Signal.PROMPT_GREETING.ordinal()] = GREETING.matcher(prompt).lookingAt() ? 1 : 0;
    v[Signal.PROMPT_OPEN_QUESTION.ordinal()] = OPEN_QUESTION.matcher(stripped).lookingAt() ? 1 : 0;
    v[Signal.PROMPT_INDENTED.ordinal()] =
        RequestSignals.log(
            prompt
                .lines()
                .filter(l -> l.startsWith("    ") || l.startsWith("\t"))
                .limit(100)
                .count(),
            20);
    v[Signal.PROMPT_FIRST_PERSON.ordinal()] =
        words == 0 ? 0 : Math.min(1, 4.0 * count(FIRST_PERSON, prompt, 200) / words);
    textShape(prompt, words, v);
    JsonNode messages = PromptParts.messages(body);
    int turns = messages.isArray() ? messages.size() : 1;
    v[Signal.PROMPT_TURNS.ordinal()] = RequestSignals.log(turns, 20);
    boolean system = body.hasNonNull("system") || body.hasNonNull("instructions");
    if (messages.isArray()) {
      for (JsonNode message : messages) {
        String role = message.path("role").asText("");
        system |= role.equals("system") || role.equals("developer");
      }
    }
    v[Signal.PROMPT_SYSTEM.ordinal()] = system ? 1 : 0;
    String systemPrompt = PromptParts.system(body);
    v[Signal.PROMPT_SYSTEM_WORDS.ordinal()] = RequestSignals.log(words(systemPrompt), 500);
    answerForm(systemPrompt, prompt, v);
    double maxTokens =
        Math.max(
            body.path("max_tokens").asDouble(0),
            Math.max(
                body.path("max_completion_tokens").asDouble(0),
                body.path("max_output_tokens").asDouble(0)));
    maxTokens = Math.max(maxTokens, body.path("options").path("num_predict").asDouble(0));
    v[Signal.PROMPT_MAX_TOKENS.ordinal()] = RequestSignals.log(maxTokens, 4096);
    v[Signal.PROMPT_STREAM.ordinal()] = body.path("stream").asBoolean(false) ? 1 : 0;
    v[Signal.PROMPT_TOOLS.ordinal()] =
        body.path("tools").isArray() && body.path("tools").size() > 0
                || body.path("functions").isArray()
            ? 1
            : 0;
  }

  private static void answerForm(String system, String prompt, double[] v) {
    v[Signal.PROMPT_ASKS_SHORT.ordinal()] =
        asks(ASKS_SHORT, system) || asks(ASKS_SHORT, prompt) ? 1 : 0;
    v[Signal.PROMPT_ASKS_LONG.ordinal()] =
        asks(ASKS_LONG, system) || asks(ASKS_LONG, prompt) ? 1 : 0;
    v[Signal.PROMPT_ARITHMETIC.ordinal()] = asks(ARITHMETIC, prompt) ? 1 : 0;
  }

  /**
   * Whether {@code p} occurs in the first or last {@link #ANSWER_WINDOW} characters of {@code
   * text}. A {@code ^} in {@code p} means the text's start, never the last window's.
   */
  private static boolean asks(Pattern p, String text) {
    if (text.length() <= 2 * ANSWER_WINDOW) {
      return p.matcher(text).find();
    }
    return p.matcher(text).region(0, ANSWER_WINDOW).find()
        || p.matcher(text)
            .region(text.length() - ANSWER_WINDOW, text.length())
            .useAnchoringBounds(false)
            .find();
  }

  private static final Pattern SENTENCE_END = Pattern.compile("[.!?](\\s|$)");
  private static final Pattern URL = Pattern.compile("https?://\\S");

  private static void textShape(String prompt, int words, double[] v) {
    v[Signal.PROMPT_SENTENCES.ordinal()] = RequestSignals.log(count(SENTENCE_END, prompt, 200), 20);
    int letters = 0;
    int digits = 0;
    int upper = 0;
    for (int i = 0; i < prompt.length(); i++) {
      char c = prompt.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
        upper += Character.isUpperCase(c) ? 1 : 0;
      } else if (Character.isDigit(c)) {
        digits++;
      }
    }
    v[Signal.PROMPT_WORD_LENGTH.ordinal()] =
        words == 0 ? 0 : Math.min(1.5, letters / (double) words / 8);
    v[Signal.PROMPT_DIGITS.ordinal()] =
        prompt.isEmpty() ? 0 : Math.min(1, 5.0 * digits / prompt.length());
    v[Signal.PROMPT_UPPER.ordinal()] = letters == 0 ? 0 : (double) upper / letters;
    v[Signal.PROMPT_URL.ordinal()] = URL.matcher(prompt).find() ? 1 : 0;
  }

  private static int words(String text) {
    int n = 0;
    var m = WORD.matcher(text);
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static double symbolDensity(String s) {
    if (s.isEmpty()) {
      return 0;
    }
    int symbols = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("{}[]();=<>_#$\\|&*/`".indexOf(c) >= 0) {
        symbols++;
      }
    }
    return Math.min(1.5, 10.0 * symbols / s.length());
  }

  private static int count(Pattern p, String s, int max) {
    var m = p.matcher(s);
    int n = 0;
    while (n < max && m.find()) {
      n++;
    }
    return n;
  }
}
