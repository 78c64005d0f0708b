package dev.semlb.classifier.signals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Shape signals of a parsed JSON body: top-level keys, depth, longest array and number of values,
 * visiting at most a given number of values (breadth-first, no recursion, so any depth is safe).
 * Stateless.
 */
final class JsonShape {

  private JsonShape() {}

  private record Item(JsonNode node, int depth) {}

  static void measure(JsonNode root, int maxNodes, double[] v) {
    v[Signal.JSON_KEYS.ordinal()] = root.isObject() ? RequestSignals.log(root.size(), 64) : 0;
    Deque<Item> queue = new ArrayDeque<>();
    queue.add(new Item(root, 1));
    int nodes = 0;
    int depth = 0;
    int longest = root.isArray() ? root.size() : 0;
    while (!queue.isEmpty() && nodes < maxNodes) {
      Item item = queue.poll();
      nodes++;
      depth = Math.max(depth, item.depth());
      if (item.node().isArray()) {
        longest = Math.max(longest, item.node().size());
      }
      if (item.node().isContainerNode()) {
        for (JsonNode child : item.node()) {
          if (queue.size() + nodes >= maxNodes) {
            break;
          }
          queue.add(new Item(child, item.depth() + 1));
        }
      }
    }
    v[Signal.JSON_DEPTH.ordinal()] = Math.min(depth, 12) / 8.0;
    v[Signal.JSON_MAX_ARRAY.ordinal()] = RequestSignals.log(longest, 1000);
    v[Signal.JSON_NODES.ordinal()] = RequestSignals.log(nodes, 1000);
  }
}
