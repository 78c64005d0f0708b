package dev.semlb.classifier.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pool that requests can be routed to. Its name is what the {@code x-semantic-pool}
 * header carries and what Envoy's route table matches. Immutable.
 *
 * @param name 1-63 characters of lower-case letters, digits and dashes
 * @param description what belongs in this pool, for people and for the LLM stage
 * @param examples example requests or phrases for the embedding stage; may be empty
 */
public record PoolSpec(String name, String description, List<String> examples) {

  /** Valid pool names: safe in headers, metric labels and Envoy cluster names. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** Checks the name and copies the examples. */
  public PoolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    examples = List.copyOf(examples);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name: '" + name
          + "' (expected: lower-case letters, digits and dashes, 1-63 characters)");
    }
  }

  /**
   * The description as short phrases (split at dashes, commas and semicolons), which the
   * embedding stage also uses as examples: a description lists what belongs in the pool.
   */
  public List<String> descriptionPhrases() {
    List<String> phrases = new java.util.ArrayList<>();
    for (String part : description.split(" - |[,;]")) {
      String phrase = part.strip();
      while (phrase.endsWith(".")) {
        phrase = phrase.substring(0, phrase.length() - 1).strip();
      }
      if (phrase.length() > 3) {
        phrases.add(phrase);
      }
    }
    return phrases;
  }

  /** A pool without examples. */
  public PoolSpec(String name, String description) {
    this(name, description, List.of());
  }
}
