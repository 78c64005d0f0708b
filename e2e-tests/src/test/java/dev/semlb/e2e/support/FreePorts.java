package dev.semlb.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free ports for test servers, taken below the kernel's ephemeral range when there is room there.
 *
 * <p>Why: a port handed out by binding port 0 is an ephemeral port; between the test closing it and
 * a server (Envoy, binding 0.0.0.0) opening it, any outgoing connection on the machine may be given
 * it as its local port ("cannot bind: Address already in use", seen in CI). Ports below the
 * ephemeral range are never given out that way. Candidates are tried in turn from a per-process
 * starting point and checked free on every address.
 */
public final class FreePorts {

  private static final int LOWEST = 10_000;
  private static final int EPHEMERAL_FIRST = ephemeralFirst();
  private static final AtomicInteger NEXT =
      new AtomicInteger((int) (ProcessHandle.current().pid() * 7919 % Math.max(1, span())));

  private FreePorts() {}

  /** A port nothing listens on right now. */
  public static int next() {
    if (span() < 1000) {
      return ephemeral();
    }
    for (int tries = 0; tries < span(); tries++) {
      int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), span());
      if (free(port)) {
        return port;
      }
    }
    return ephemeral();
  }

  private static int span() {
    return EPHEMERAL_FIRST - LOWEST;
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress("0.0.0.0", port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeral() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first port of Linux's ephemeral range; 32768 (its default) when it cannot be read. */
  private static int ephemeralFirst() {
    try {
      // readAllLines, not readString: /proc files report size 0, and readString then returned
      // only the first byte here.
      String range =
          Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).strip();
      return Math.max(LOWEST, Integer.parseInt(range.split("\\s+")[0]));
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
