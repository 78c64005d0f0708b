package dev.semlb.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A minimal upstream for one pool that speaks WebSocket (RFC 6455): it answers an upgrade with 101
 * and echoes every text frame; {@code GET /events} with two server-sent events {@link #SSE_GAP_MS}
 * apart; any other request with 200. Both carry {@code x-served-by-pool}, as the demo workers do.
 * For tests only.
 */
public final class WebSocketEcho implements AutoCloseable {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** How long {@code GET /events} waits between its two server-sent events. */
  public static final long SSE_GAP_MS = 1500;

  private final ServerSocket server;
  private final String pool;

  private WebSocketEcho(String pool) throws IOException {
    this.pool = pool;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "ws-echo-" + pool);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts an echo upstream for {@code pool} on a free loopback port. */
  public static WebSocketEcho start(String pool) throws IOException {
    return new WebSocketEcho(pool);
  }

  /** Its port. */
  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "ws-echo-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      String head = RawHttp.readHead(in);
      String key = RawHttp.header(head, "sec-websocket-key");
      if (key == null && head.startsWith("GET /events")) {
        // Server-sent events: one event now, another after SSE_GAP_MS, then the end.
        out.write(
            ("HTTP/1.1 200 OK\r\nx-served-by-pool: "
                    + pool
                    + "\r\ncontent-type: text/event-stream\r\n"
                    + "cache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(chunk("data: first\n\n"));
        out.flush();
        Thread.sleep(SSE_GAP_MS);
        out.write(chunk("data: second\n\n"));
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return;
      }
      if (key == null) {
        out.write(
            ("HTTP/1.1 200 OK\r\nx-served-by-pool: "
                    + pool
                    + "\r\ncontent-length: 0\r\n"
                    + "connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return;
      }
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-1")
                      .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
                  + "sec-websocket-accept: "
                  + accept
                  + "\r\nx-served-by-pool: "
                  + pool
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      while (true) {
        byte[] payload = readFrame(in);
        if (payload == null) {
          return; // a close frame or the end of the stream
        }
        out.write(frame(payload, false));
        out.flush();
      }
    } catch (Exception e) {
      // the test sees a missing answer
    }
  }

  private static byte[] chunk(String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    return (Integer.toHexString(bytes.length) + "\r\n" + data + "\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** One text frame's payload (unmasked), or null at a close frame or the end of the stream. */
  public static byte[] readFrame(InputStream in) throws IOException {
    int b0 = in.read();
    int b1 = in.read();
    if (b0 < 0 || b1 < 0 || (b0 & 0x0F) == 8) {
      return null;
    }
    long len = b1 & 0x7F;
    if (len == 126) {
      len = (in.read() << 8) | in.read();
    } else if (len == 127) {
      throw new IOException("frame too large for this test upstream");
    }
    byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
    byte[] payload = in.readNBytes((int) len);
    if (mask != null) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i % 4];
      }
    }
    return payload;
  }

  /** A final text frame with {@code payload} (masked as a client must, or not as a server). */
  public static byte[] frame(byte[] payload, boolean masked) {
    if (payload.length >= 126) {
      throw new IllegalArgumentException("short frames only");
    }
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x81);
    f.write((masked ? 0x80 : 0) | payload.length);
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    if (masked) {
      f.writeBytes(mask);
    }
    for (int i = 0; i < payload.length; i++) {
      f.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
    }
    return f.toByteArray();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
