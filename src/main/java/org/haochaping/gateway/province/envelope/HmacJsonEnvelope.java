package org.haochaping.gateway.province.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A JSON body signed with HMAC-SHA256 under a shared secret; the payload travels in clear:
 *
 * <pre>{"appKey":"...","timestamp":"1767225600000","nonce":"...","data":"{\"records\":[...]}","signature":"..."}</pre>
 *
 * {@code signature = Base64(HMAC-SHA256(secret as UTF-8, appKey + "\n" + timestamp + "\n" + nonce
 * + "\n" + hex(SHA-256(data as UTF-8))))}, hex lower case, Base64 standard with padding; {@code
 * timestamp} is epoch milliseconds as a string and must be within ±300 s of the receiver's clock.
 */
public final class HmacJsonEnvelope implements ProvinceEnvelope {

  public static final String KIND = "hmac-json";

  private final String appKey;
  private final byte[] secret;
  private final Clock clock;
  private final ReplayGuard replayGuard;
  private final Supplier<String> nonces;

  public HmacJsonEnvelope(String appKey, String secret) {
    this(appKey, secret, Clock.systemUTC(), ReplayGuard.DEFAULT_MAX_SKEW);
  }

  public HmacJsonEnvelope(String appKey, String secret, Clock clock, Duration maxSkew) {
    this(appKey, secret, clock, maxSkew, EnvelopeJson::nonce);
  }

  HmacJsonEnvelope(String appKey, String secret, Clock clock, Duration maxSkew, Supplier<String> nonces) {
    this.appKey = requireText(appKey, "appKey");
    this.secret = requireText(secret, "secret").getBytes(StandardCharsets.UTF_8);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.replayGuard = new ReplayGuard(clock, maxSkew);
    this.nonces = nonces;
  }

  @Override
  public String kind() {
    return KIND;
  }

  public String appKey() {
    return appKey;
  }

  @Override
  public SealedRequest seal(byte[] payloadJson) {
    String data = EnvelopeJson.utf8(payloadJson);
    String timestamp = Long.toString(clock.millis());
    String nonce = nonces.get();
    ObjectNode body = EnvelopeJson.object();
    body.put("appKey", appKey);
    body.put("timestamp", timestamp);
    body.put("nonce", nonce);
    body.put("data", data);
    body.put("signature", Base64.getEncoder().encodeToString(hmacSha256(secret, stringToSign(appKey, timestamp, nonce, data))));
    return new SealedRequest(EnvelopeJson.write(body), SealedRequest.JSON_UTF8, Map.of());
  }

  @Override
  public byte[] open(SealedRequest request) throws EnvelopeException {
    JsonNode body = EnvelopeJson.read(request.body());
    String sender = EnvelopeJson.text(body, "appKey");
    String timestamp = EnvelopeJson.text(body, "timestamp");
    String nonce = EnvelopeJson.text(body, "nonce");
    String data = EnvelopeJson.text(body, "data");
    String signature = EnvelopeJson.text(body, "signature");

    if (!sender.equals(appKey)) {
      throw new EnvelopeException(EnvelopeException.Reason.UNKNOWN_APP, "appKey " + sender);
    }
    if (!timestamp.matches("\\d{1,15}")) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "timestamp must be epoch milliseconds");
    }
    Instant requestTime = Instant.ofEpochMilli(Long.parseLong(timestamp));
    replayGuard.checkFresh(requestTime);

    byte[] expected = hmacSha256(secret, stringToSign(sender, timestamp, nonce, data));
    byte[] given;
    try {
      given = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(EnvelopeException.Reason.BAD_SIGNATURE, "signature is not Base64");
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw new EnvelopeException(EnvelopeException.Reason.BAD_SIGNATURE, "HMAC-SHA256 does not match");
    }
    replayGuard.remember(sender, nonce, requestTime);
    return data.getBytes(StandardCharsets.UTF_8);
  }

  /** The signature a sender computes, exposed for documentation and known-answer tests. */
  public static String signature(String secret, String appKey, String timestamp, String nonce, String data) {
    return Base64.getEncoder()
        .encodeToString(hmacSha256(secret.getBytes(StandardCharsets.UTF_8), stringToSign(appKey, timestamp, nonce, data)));
  }

  /** {@code appKey \n timestamp \n nonce \n hex(SHA-256(data))}. */
  static byte[] stringToSign(String appKey, String timestamp, String nonce, String data) {
    String dataHash = HexFormat.of().formatHex(sha256(data.getBytes(StandardCharsets.UTF_8)));
    return (appKey + "\n" + timestamp + "\n" + nonce + "\n" + dataHash).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] hmacSha256(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("hmac-json envelope: " + name + " is missing");
    }
    return value;
  }
}
