package dev.semlb.grpc;

import dev.semlb.config.Flags;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS for a semlb gRPC server, from PEM files. With a client CA it is mutual TLS: a client (Envoy)
 * must present a certificate signed by that CA, or the handshake fails. Immutable.
 *
 * @param certChain the server's certificate chain (PEM)
 * @param privateKey the server's private key (PEM, PKCS#8)
 * @param clientCa CA bundle (PEM) that client certificates must chain to, or null for server-only
 *     TLS
 */
public record GrpcTls(Path certChain, Path privateKey, Path clientCa) {

  /** Checks that the files are there. */
  public GrpcTls {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    for (Path file :
        clientCa == null
            ? new Path[] {certChain, privateKey}
            : new Path[] {certChain, privateKey, clientCa}) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("tls: '" + file + "' (expected: a readable PEM file)");
      }
    }
  }

  /**
   * Reads {@code --tls-cert --tls-key [--tls-client-ca]} (or SEMLB_TLS_*); null when no certificate
   * is given (plaintext, the default).
   */
  public static GrpcTls fromFlags(Flags flags) {
    String cert = flags.string("tls-cert", "");
    String key = flags.string("tls-key", "");
    String ca = flags.string("tls-client-ca", "");
    if (cert.isEmpty() && key.isEmpty()) {
      if (!ca.isEmpty()) {
        throw new IllegalArgumentException(
            "--tls-client-ca: given without --tls-cert and --tls-key");
      }
      return null;
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException(
          "--tls-cert and --tls-key: both or neither (expected: PEM files)");
    }
    return new GrpcTls(Path.of(cert), Path.of(key), ca.isEmpty() ? null : Path.of(ca));
  }

  /** The gRPC server credentials: client certificates required when a client CA is set. */
  public ServerCredentials credentials() throws IOException {
    TlsServerCredentials.Builder tls =
        TlsServerCredentials.newBuilder().keyManager(certChain.toFile(), privateKey.toFile());
    if (clientCa != null) {
      tls.trustManager(clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return tls.build();
  }
}
