package org.haochaping.gateway.channel.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature every server-to-server client puts on a request (DESIGN §4):
 * {@code Base64(HMAC-SHA256(secret, METHOD + "\n" + PATH + "\n" + TIMESTAMP + "\n" + NONCE + "\n" + hex(SHA-256(body))))},
 * the secret as its UTF-8 bytes, PATH without the query string, lower-case hex, standard Base64 with padding.
 */
public final class RequestSignature {

  public static final String APP_KEY = "X-HCP-AppKey";
  public static final String TIMESTAMP = "X-HCP-Timestamp";
  public static final String NONCE = "X-HCP-Nonce";
  public static final String SIGNATURE = "X-HCP-Signature";

  private RequestSignature() {}

  /** The text that is signed. */
  public static String canonical(String method, String path, String timestamp, String nonce, byte[] body) {
    return method.toUpperCase(java.util.Locale.ROOT) + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + sha256Hex(body);
  }

  public static String sign(String secret, String method, String path, String timestamp, String nonce, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(
          mac.doFinal(canonical(method, path, timestamp, nonce, body).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The four headers of a request signed now, with a fresh nonce: what a client (a test, a bench, a
   * departmental system written in Java) adds to its request. {@code path} without the query string.
   */
  public static java.util.Map<String, String> headers(String appKey, String secret, String method, String path, byte[] body) {
    String timestamp = Long.toString(System.currentTimeMillis());
    String nonce = java.util.UUID.randomUUID().toString().replace("-", "");
    java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put(APP_KEY, appKey);
    h.put(TIMESTAMP, timestamp);
    h.put(NONCE, nonce);
    h.put(SIGNATURE, sign(secret, method, path, timestamp, nonce, body == null ? new byte[0] : body));
    return h;
  }

  /** Compares in constant time, so a forger learns nothing from how long a refusal takes. */
  public static boolean matches(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
  }

  public static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
