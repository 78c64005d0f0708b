package dev.semlb.xds.kubernetes;

import java.util.Map;
import java.util.Objects;

/**
 * One ready address of a Kubernetes Service, as its EndpointSlices give it, with the Service's
 * ports. Free of any Kubernetes client type, so the snapshot code does not depend on one.
 * Immutable.
 *
 * @param ip the pod address
 * @param ports target port number by port name ("" for an unnamed port)
 */
public record DiscoveredAddress(String ip, Map<String, Integer> ports) {

  /** Copies the ports. */
  public DiscoveredAddress {
    Objects.requireNonNull(ip, "ip");
    ports = Map.copyOf(ports);
  }

  /**
   * The port to use for {@code wanted}: a name, a number, or "" for the only port. Empty when it
   * cannot be told.
   */
  public java.util.OptionalInt port(String wanted) {
    if (wanted.isEmpty()) {
      return ports.size() == 1
          ? java.util.OptionalInt.of(ports.values().iterator().next())
          : java.util.OptionalInt.empty();
    }
    if (wanted.chars().allMatch(Character::isDigit)) {
      int number = Integer.parseInt(wanted);
      return number >= 1 && number <= 65535
          ? java.util.OptionalInt.of(number)
          : java.util.OptionalInt.empty();
    }
    Integer port = ports.get(wanted);
    return port == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(port);
  }
}
