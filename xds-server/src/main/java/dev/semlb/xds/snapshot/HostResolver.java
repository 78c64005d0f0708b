package dev.semlb.xds.snapshot;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Turns an endpoint host into IP addresses, since Envoy's EDS wants addresses, not names. A DNS
 * name with several records (a compose service with replicas, a headless Service) becomes several
 * endpoints. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface HostResolver {

  /** The addresses of {@code host}, in a stable order. */
  List<String> resolve(String host) throws UnknownHostException;

  /** The system resolver; an IP literal resolves to itself without a lookup. */
  static HostResolver system() {
    return host ->
        Arrays.stream(InetAddress.getAllByName(host))
            .map(InetAddress::getHostAddress)
            .distinct()
            .sorted()
            .toList();
  }
}
