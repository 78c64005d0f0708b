package dev.semlb.classifier.signals;

import static dev.semlb.classifier.signals.SignalFixtures.chat;
import static dev.semlb.classifier.signals.SignalFixtures.get;
import static dev.semlb.classifier.signals.SignalFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The signals of LLM request bodies: the prompt's form, code markers, what it asks for. */
class PromptSignalsTest {

  @Test
  void promptFeatures_lastUserTurn() {
    String code =
        "{\"model\":\"auto\",\"max_tokens\":512,\"stream\":true,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"hello\"},"
            + "{\"role\":\"assistant\",\"content\":\"hi\"},{\"role\":\"user\",\"content\":"
            + "\"Traceback (most recent call last):\\n  File \\\"a.py\\\", line 3\\nKeyError: 'x'\\n```python\\ndef f(): return d['x']\\n```\"}]}";
    double[] v =
        RequestSignals.of(request("POST", "/v1/chat/completions", "application/json", code));
    double[] hi =
        RequestSignals.of(
            request(
                "POST",
                "/v1/chat/completions",
                "application/json",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of Peru?\"}]}"));

    assertThat(get(v, Signal.PROMPT)).isEqualTo(1);
    assertThat(get(v, Signal.PROMPT_STACK_TRACE)).isEqualTo(1);
    assertThat(get(v, Signal.PROMPT_CODE_FENCE)).isEqualTo(1);
    assertThat(get(v, Signal.PROMPT_SYSTEM)).isEqualTo(1);
    assertThat(get(v, Signal.PROMPT_STREAM)).isEqualTo(1);
    assertThat(get(v, Signal.PROMPT_MAX_TOKENS)).isGreaterThan(0.5);
    assertThat(get(v, Signal.PROMPT_TURNS)).isGreaterThan(get(hi, Signal.PROMPT_TURNS));
    assertThat(get(hi, Signal.PROMPT_SHORT)).isEqualTo(1);
    assertThat(get(hi, Signal.PROMPT_QUESTION)).isEqualTo(1);
    assertThat(get(hi, Signal.PROMPT_WH_START)).isEqualTo(1);
    assertThat(get(hi, Signal.PROMPT_CODE_FENCE)).isZero();
  }

  @Test
  void answerForm_fromSystemPromptOrUserTurn() {
    double[] yesNo =
        chat("Answer Yes or No only.", "Is the following string a food item? 100 grand bar");
    double[] oneWord =
        chat(null, "What day of the week is January 13, 2051? Answer with a single word.");
    double[] essay = chat(null, "Write a detailed essay on the causes of the First World War.");
    double[] plain = chat(null, "Tell me about your weekend.");

    assertThat(get(yesNo, Signal.PROMPT_ASKS_SHORT)).isEqualTo(1);
    assertThat(get(oneWord, Signal.PROMPT_ASKS_SHORT)).isEqualTo(1);
    assertThat(get(essay, Signal.PROMPT_ASKS_LONG)).isEqualTo(1);
    assertThat(get(essay, Signal.PROMPT_ASKS_SHORT)).isZero();
    assertThat(get(plain, Signal.PROMPT_ASKS_SHORT)).isZero();
    assertThat(get(plain, Signal.PROMPT_ASKS_LONG)).isZero();
  }

  @Test
  void workRequests_andGreetings_areToldFromConversation() {
    double[] imperative = chat(null, "Write a short story about a lighthouse keeper.");
    double[] polite = chat(null, "Could you please summarize this article for me?");
    double[] roleplay = chat(null, "I want you to act as a travel guide for Lisbon.");
    double[] greeting = chat(null, "Hey! How was your day? Mine was long.");
    double[] opinion = chat(null, "I just finished a marathon, have you ever run one?");
    String longPaste = "lorem ipsum dolor sit amet ".repeat(200); // 5,400 characters
    double[] askAtTheEnd = chat(null, longPaste + "Can you explain what this text means?");
    double[] workWordInTheMiddle = chat(null, longPaste + " write " + longPaste);

    assertThat(get(imperative, Signal.PROMPT_ASKS_TASK)).isEqualTo(1);
    assertThat(get(polite, Signal.PROMPT_ASKS_TASK)).isEqualTo(1);
    assertThat(get(roleplay, Signal.PROMPT_ASKS_TASK)).isEqualTo(1);
    assertThat(get(askAtTheEnd, Signal.PROMPT_ASKS_TASK)).isEqualTo(1);
    assertThat(get(greeting, Signal.PROMPT_ASKS_TASK)).isZero();
    assertThat(get(opinion, Signal.PROMPT_ASKS_TASK)).isZero();
    assertThat(get(workWordInTheMiddle, Signal.PROMPT_ASKS_TASK))
        .as("'^' is the prompt's start, not a window's")
        .isZero();
    assertThat(get(greeting, Signal.PROMPT_GREETING)).isEqualTo(1);
    assertThat(get(imperative, Signal.PROMPT_GREETING)).isZero();
    assertThat(get(chat(null, "Hyena facts, please"), Signal.PROMPT_GREETING)).isZero();
  }

  @Test
  void openQuestions_notFactualQuestionsOrTasks() {
    assertThat(
            get(chat(null, "What if the Beatles had never formed?"), Signal.PROMPT_OPEN_QUESTION))
        .isEqualTo(1);
    assertThat(get(chat(null, "How can I improve my sleep?"), Signal.PROMPT_OPEN_QUESTION))
        .isEqualTo(1);
    assertThat(
            get(
                chat(null, "What are the main differences between TCP and UDP?"),
                Signal.PROMPT_OPEN_QUESTION))
        .isEqualTo(1);
    assertThat(get(chat(null, "Who wrote Hamlet?"), Signal.PROMPT_OPEN_QUESTION)).isZero();
    assertThat(get(chat(null, "How many moons has Mars?"), Signal.PROMPT_OPEN_QUESTION)).isZero();
    assertThat(get(chat(null, "Write a haiku. Why not?"), Signal.PROMPT_OPEN_QUESTION)).isZero();
  }

  @Test
  void techNames_countLanguagesAndLibraries_notEverydayWords() {
    double[] one = chat(null, "How can I print to a textbox in PyQt6?");
    double[] two = chat(null, "Write a Python script that loads a CSV with pandas.");
    double[] words =
        chat(null, "Go swiftly: the rusty spring of the old ruby ring will react to java coffee.");
    double[] dotted = chat(null, "Open config.json and settings.yaml");

    assertThat(get(one, Signal.PROMPT_TECH_NAMES)).isGreaterThan(0);
    assertThat(get(two, Signal.PROMPT_TECH_NAMES))
        .isGreaterThan(get(one, Signal.PROMPT_TECH_NAMES));
    assertThat(get(words, Signal.PROMPT_TECH_NAMES))
        .as("only 'java' counts here")
        .isEqualTo(get(chat(null, "java"), Signal.PROMPT_TECH_NAMES));
    assertThat(get(dotted, Signal.PROMPT_TECH_NAMES))
        .as("a file suffix is not a named format")
        .isZero();
    assertThat(get(chat(null, "Tell me about C++ and C#"), Signal.PROMPT_TECH_NAMES))
        .isEqualTo(get(chat(null, "python and sql"), Signal.PROMPT_TECH_NAMES));
    assertThat(get(chat(null, "Hi there, how was your weekend?"), Signal.PROMPT_TECH_NAMES))
        .isZero();
    assertThat(get(chat(null, "python ".repeat(500)), Signal.PROMPT_TECH_NAMES))
        .as("bounded")
        .isEqualTo(1.0);
  }

  @Test
  void arithmeticAndConversions_notDatesOrIdentifiers() {
    assertThat(get(chat(null, "17 \u00d7 23 = ?"), Signal.PROMPT_ARITHMETIC)).isEqualTo(1);
    assertThat(get(chat(null, "2.5 kilograms in ounces?"), Signal.PROMPT_ARITHMETIC)).isEqualTo(1);
    assertThat(get(chat(null, "What is 15% of 240?"), Signal.PROMPT_ARITHMETIC)).isEqualTo(1);
    assertThat(get(chat(null, "Convert 22:00 CET to PT."), Signal.PROMPT_ARITHMETIC)).isEqualTo(1);
    assertThat(
            get(chat(null, "The meeting is on 2023-03-31 in room b-12."), Signal.PROMPT_ARITHMETIC))
        .isZero();
    assertThat(get(chat(null, "Rename user_2 to admin"), Signal.PROMPT_ARITHMETIC)).isZero();
  }

  @Test
  void softwareWords_countBugReportsAndShellTasks_notSmallTalk() {
    double[] bugReport =
        chat(
            null,
            "Chat - App crashes when I click the send button. Steps to reproduce: open the app, "
                + "go to settings. Expected result: the page loads. Actual result: error in the console.");
    double[] shellTask =
        chat(null, "How many files in the /etc directory end with .conf? Use a bash command.");
    double[] smallTalk = chat(null, "Hi there, how was your weekend? Did you go anywhere nice?");

    assertThat(get(bugReport, Signal.PROMPT_SOFTWARE_WORDS))
        .isGreaterThan(get(shellTask, Signal.PROMPT_SOFTWARE_WORDS));
    assertThat(get(shellTask, Signal.PROMPT_SOFTWARE_WORDS)).isGreaterThan(0);
    assertThat(get(smallTalk, Signal.PROMPT_SOFTWARE_WORDS)).isZero();
    // Not an archive export: archiving is a write.
    double[] archive = RequestSignals.of(request("POST", "/v1/agents/agent_1/archive", "", ""));
    assertThat(get(archive, Signal.WORD_REPORT)).isZero();
    assertThat(get(archive, Signal.WORD_WRITE)).isPositive();
  }

  @Test
  void answerForm_searchesOnlyTheEndsOfAHugePrompt() {
    String middle = "lorem ipsum ".repeat(300);
    double[] buried = chat(null, middle + "answer yes or no " + middle);
    double[] atEnd = chat(null, middle + middle + "answer yes or no");

    assertThat(get(buried, Signal.PROMPT_ASKS_SHORT)).isZero();
    assertThat(get(atEnd, Signal.PROMPT_ASKS_SHORT)).isEqualTo(1);
  }
}
