package dev.semlb.extproc.processing;

import dev.semlb.classifier.Decision;
import dev.semlb.classifier.view.RequestView;

/**
 * Told about every stream and decision, for metrics and the decisions API. Implementations must be
 * thread-safe and fast (they run on request paths) and must not keep request bodies.
 */
public interface DecisionListener {

  /** Listens to nothing. */
  DecisionListener NONE = new DecisionListener() {};

  /** A listener that tells each of {@code listeners}, in order. */
  static DecisionListener all(DecisionListener... listeners) {
    java.util.List<DecisionListener> list = java.util.List.of(listeners);
    return new DecisionListener() {
      @Override
      public void onDecision(RequestView request, Decision decision, long nanos) {
        list.forEach(l -> l.onDecision(request, decision, nanos));
      }

      @Override
      public void onSampledDecision(RequestView request, Decision decision, long weight) {
        list.forEach(l -> l.onSampledDecision(request, decision, weight));
      }

      @Override
      public void onStreamOpened() {
        list.forEach(DecisionListener::onStreamOpened);
      }

      @Override
      public void onStreamClosed(boolean failed) {
        list.forEach(l -> l.onStreamClosed(failed));
      }

      @Override
      public void onStreamError() {
        list.forEach(DecisionListener::onStreamError);
      }
    };
  }

  /** A request was classified in {@code nanos}. */
  default void onDecision(RequestView request, Decision decision, long nanos) {}

  /**
   * A request decided without ext-proc-service (by a native route in Envoy's route table) that
   * stands for {@code weight} such requests: Envoy reports a sample of them. Listeners that count
   * decisions count {@code weight}; the default tells {@link #onDecision} once (an example, no time
   * spent here).
   */
  default void onSampledDecision(RequestView request, Decision decision, long weight) {
    onDecision(request, decision, 0);
  }

  /** An ext_proc stream opened. */
  default void onStreamOpened() {}

  /** An ext_proc stream ended; {@code failed} when it ended with an error other than a cancel. */
  default void onStreamClosed(boolean failed) {}

  /** Handling a phase failed and the request went on without routing. */
  default void onStreamError() {}
}
