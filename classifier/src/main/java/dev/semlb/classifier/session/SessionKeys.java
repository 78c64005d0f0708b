package dev.semlb.classifier.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semlb.classifier.view.RequestView;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Finds a request's session key (the configured header, else the first configured JSON body field
 * that holds a string or integer) and turns it into a salted SHA-256 digest. The key itself is
 * never stored, logged or put in a decision: only the digest is kept, and its salt is random per
 * instance, so digests cannot be looked up in a table of likely keys. Keys longer than {@link
 * StickinessSettings#maxKeyLength()} are ignored. Immutable and thread-safe.
 */
public final class SessionKeys {

  /** A session's identity: 128 bits of the salted digest of its key. */
  public record Id(long high, long low) {

    /** A short hexadecimal form, safe for logs. */
    public String shortHex() {
      return HexFormat.of().toHexDigits(high).substring(0, 8);
    }

    @Override
    public String toString() {
      return "session " + shortHex();
    }
  }

  private final StickinessSettings settings;
  private final byte[] salt;

  /** Key lookup for {@code settings}, with a random salt. */
  public SessionKeys(StickinessSettings settings) {
    this(settings, randomSalt());
  }

  SessionKeys(StickinessSettings settings, byte[] salt) {
    this.settings = settings;
    this.salt = salt.clone();
  }

  /** The session of {@code request}, or null when it names none (or too long a key). */
  public Id of(RequestView request) {
    String key = raw(request);
    if (key == null || key.isBlank() || key.length() > settings.maxKeyLength()) {
      return null;
    }
    return digest(key);
  }

  /** The key as sent, or null; package-private so that nothing else can reach it. */
  String raw(RequestView request) {
    if (!settings.header().isEmpty()) {
      String value = request.header(settings.header());
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    JsonNode root = request.body().json();
    if (root == null || !root.isObject()) {
      return null;
    }
    for (String field : settings.bodyFields()) {
      JsonNode node = root;
      for (String name : field.split("\\.")) {
        node = node == null || !node.isObject() ? null : node.get(name);
      }
      if (node != null && (node.isTextual() || node.isIntegralNumber())) {
        String value = node.asText().strip();
        if (!value.isEmpty()) {
          return value;
        }
      }
    }
    return null;
  }

  Id digest(String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      byte[] hash = sha.digest(key.getBytes(StandardCharsets.UTF_8));
      ByteBuffer b = ByteBuffer.wrap(hash);
      return new Id(b.getLong(), b.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte[] randomSalt() {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return salt;
  }
}
