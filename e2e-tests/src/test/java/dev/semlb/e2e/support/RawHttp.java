package dev.semlb.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 on a plain socket, for requests an HTTP client library would refuse or tidy up
 * (thousands of headers, chunked bodies written by hand, upgrade requests). Reads only the response
 * head.
 */
public final class RawHttp {

  /**
   * What came back: the status (or -1 if the connection closed or timed out first), the head, the
   * time.
   */
  public record Answer(int status, String head, long millis) {

    /** A response header's value, or null. */
    public String header(String name) {
      return RawHttp.header(head, name);
    }
  }

  private RawHttp() {}

  /** A header's value in an HTTP head (case-insensitive name), or null. */
  public static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** Reads an HTTP head, up to and including the blank line, as ISO-8859-1. */
  public static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        break;
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Writes {@code request} as is and reads the response head within {@code timeout}. */
  public static Answer exchange(int port, byte[] request, Duration timeout) throws IOException {
    return exchange(new InetSocketAddress("127.0.0.1", port), request, timeout);
  }

  /** As {@link #exchange(int, byte[], Duration)}, to any address. */
  public static Answer exchange(InetSocketAddress address, byte[] request, Duration timeout)
      throws IOException {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(address, 2000);
      socket.setSoTimeout((int) timeout.toMillis());
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // the proxy may answer and close before reading everything; read what it said
      }
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      try {
        int b;
        while ((b = in.read()) != -1) {
          head.write(b);
          String text = head.toString(StandardCharsets.ISO_8859_1);
          if (text.endsWith("\r\n\r\n")) {
            break;
          }
        }
      } catch (SocketTimeoutException e) {
        // reported as status -1
      } catch (IOException e) {
        // reset: reported with what was read
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      int status =
          text.matches("(?s)HTTP/1\\.[01] [0-9]{3}.*")
              ? Integer.parseInt(text.substring(9, 12))
              : -1;
      return new Answer(status, text, (System.nanoTime() - start) / 1_000_000);
    }
  }

  /**
   * A request head plus body, with Content-Length unless {@code extraHeaders} sets
   * Transfer-Encoding.
   */
  public static byte[] request(String method, String path, String extraHeaders, byte[] body) {
    return request(method, path, "semlb.test", extraHeaders, body);
  }

  /** As {@link #request(String, String, String, byte[])}, with this Host header. */
  public static byte[] request(
      String method, String path, String host, String extraHeaders, byte[] body) {
    boolean chunked =
        extraHeaders.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
    String head =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\n"
            + extraHeaders
            + (chunked || body.length == 0 && method.equals("GET")
                ? ""
                : "Content-Length: " + body.length + "\r\n")
            + "\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[h.length + body.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(body, 0, out, h.length, body.length);
    return out;
  }
}
