package dev.semlb.extproc.processing;

import dev.semlb.classifier.cost.CostKey;
import dev.semlb.classifier.view.RequestView;
import dev.semlb.wire.WireContract;

/**
 * The value of {@link WireContract#COST_KEY_HEADER} for a routed request: its cost key, and whether
 * and for how many requests Envoy's feedback log reports it ({@link
 * dev.semlb.classifier.cost.CostKeyHeader}). Called once per routed request, on the thread that
 * answers it; implementations are thread-safe and take microseconds.
 */
@FunctionalInterface
public interface CostReporting {

  /** Every routed request is reported, as itself. */
  CostReporting EVERY = CostKey::of;

  /** The header value for {@code view}. */
  String header(RequestView view);
}
