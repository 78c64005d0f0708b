package dev.semlb.classifier;

import dev.semlb.classifier.view.RequestView;
import java.util.Optional;

/**
 * Remembers sure decisions of the expensive stages for identical requests. Implementations must be
 * thread-safe and bounded.
 */
public interface DecisionCache {

  /** A cache that remembers nothing. */
  DecisionCache NONE =
      new DecisionCache() {
        @Override
        public Optional<Decision> get(RequestView request) {
          return Optional.empty();
        }

        @Override
        public void put(RequestView request, Decision decision) {
          // nothing
        }
      };

  /** The cached decision for a request identical to {@code request}, if any. */
  Optional<Decision> get(RequestView request);

  /** Remembers a sure decision. */
  void put(RequestView request, Decision decision);
}
