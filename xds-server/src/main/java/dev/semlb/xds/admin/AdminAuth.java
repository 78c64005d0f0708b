package dev.semlb.xds.admin;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards the gRPC admin service, which shares the ADS port (often reachable from the network so
 * that Envoy can connect): with a token set, every call needs {@code authorization: Bearer
 * <token>}; without one, only loopback callers are served. The same rule as the JSON admin API,
 * which binds to loopback unless given a token. Stateless.
 */
public final class AdminAuth implements ServerInterceptor {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final byte[] token;

  /**
   * @param token the bearer token, or "" for loopback-only access
   */
  public AdminAuth(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (token.length > 0) {
      String auth = headers.get(AUTHORIZATION);
      byte[] given =
          auth != null && auth.startsWith("Bearer ")
              ? auth.substring(7).getBytes(StandardCharsets.UTF_8)
              : new byte[0];
      if (!MessageDigest.isEqual(given, token)) {
        call.close(
            Status.UNAUTHENTICATED.withDescription("missing or wrong bearer token"),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
    } else if (!loopback(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR))) {
      call.close(
          Status.PERMISSION_DENIED.withDescription(
              "the admin service answers loopback callers only unless xds-server has --admin-token"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  private static boolean loopback(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }
    // In-process transports (tests) have no network peer.
    return address != null && !(address instanceof InetSocketAddress);
  }
}
