package dev.semlb.classifier.config;

import dev.semlb.config.PoolName;
import java.util.List;
import java.util.Objects;

/**
 * A pool that requests can be routed to. Its name is what the {@code x-semantic-pool} header
 * carries and what Envoy's route table matches. Immutable.
 *
 * @param name a valid {@link PoolName}
 * @param description what belongs in this pool, for people and for the LLM stage
 * @param examples example requests or phrases for the embedding stage; may be empty
 */
public record PoolSpec(String name, String description, List<String> examples) {

  /** Checks the name and copies the examples. */
  public PoolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    examples = List.copyOf(examples);
    PoolName.check("name", name);
  }

  /**
   * The description as short phrases (split at dashes, commas and semicolons), which the embedding
   * stage also uses as examples: a description lists what belongs in the pool.
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
