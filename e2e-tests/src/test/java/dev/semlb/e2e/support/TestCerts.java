package dev.semlb.e2e.support;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway CA and certificates signed by it, written as PEM files, for mutual-TLS tests: {@code
 * ca.pem}, and per name {@code <name>.pem} + {@code <name>-key.pem} (PKCS#8). Server certificates
 * carry the DNS name and 127.0.0.1 as subject alternative names.
 */
public final class TestCerts {

  private final Path dir;
  private final KeyPair caKeys;
  private final X509CertificateHolder ca;
  private long serial = 1;

  private TestCerts(Path dir) throws Exception {
    this.dir = Files.createDirectories(dir);
    this.caKeys = keys();
    this.ca =
        sign(
            new X500Name("CN=semlb test CA"),
            caKeys,
            new X500Name("CN=semlb test CA"),
            caKeys.getPrivate(),
            true,
            null);
    write("ca.pem", ca);
  }

  /** A new CA in {@code dir}. */
  public static TestCerts create(Path dir) throws Exception {
    return new TestCerts(dir);
  }

  /** The CA certificate (PEM). */
  public Path ca() {
    return dir.resolve("ca.pem");
  }

  /** Issues {@code <name>.pem} and {@code <name>-key.pem} for DNS {@code name} and 127.0.0.1. */
  public Path issue(String name) throws Exception {
    KeyPair keys = keys();
    GeneralNames sans =
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, name),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            });
    write(
        name + ".pem",
        sign(new X500Name("CN=" + name), keys, ca.getSubject(), caKeys.getPrivate(), false, sans));
    write(name + "-key.pem", new JcaPKCS8Generator(keys.getPrivate(), null).generate());
    return dir.resolve(name + ".pem");
  }

  /** The key file of an issued certificate. */
  public Path key(String name) {
    return dir.resolve(name + "-key.pem");
  }

  /** The certificate file of an issued name. */
  public Path cert(String name) {
    return dir.resolve(name + ".pem");
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private X509CertificateHolder sign(
      X500Name subject,
      KeyPair keys,
      X500Name issuer,
      PrivateKey issuerKey,
      boolean isCa,
      GeneralNames sans)
      throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(serial++),
            Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            subject,
            keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (sans != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, sans);
    }
    return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey));
  }

  private void write(String name, Object pem) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(pem);
    }
    Files.writeString(dir.resolve(name), text.toString());
  }
}
