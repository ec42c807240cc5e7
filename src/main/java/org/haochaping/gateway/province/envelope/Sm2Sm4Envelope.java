package org.haochaping.gateway.province.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * The 国密 digital envelope provincial platforms use: the payload is encrypted with a fresh SM4
 * key, the key is encrypted for the receiver with SM2, and the sender signs with SM2.
 *
 * <pre>{"appMark","time","nonce","key","iv","data","digest","sign"}</pre>
 *
 * <ol>
 *   <li>{@code key}: Base64 of SM2 C1C3C2 encryption, under the receiver's public key, of a random
 *       16-byte SM4 key; {@code iv}: Base64 of a random 16-byte IV.
 *   <li>{@code data}: Base64 of SM4/CBC/PKCS7(payload JSON as UTF-8).
 *   <li>{@code digest}: lower-case hex SM3 of the ciphertext bytes (not of the Base64 text).
 *   <li>{@code time}: {@code yyyyMMddHHmmss} in Asia/Shanghai, within ±300 s of the receiver;
 *       {@code nonce}: 32 hex characters, used once.
 *   <li>{@code sign}: Base64 of the DER SM3withSM2 signature, user ID {@code 1234567812345678},
 *       by the sender's private key over the UTF-8 bytes of {@code appMark + time + nonce +
 *       digest} (plain concatenation; time and digest have fixed widths).
 * </ol>
 *
 * One class serves both ends: the gateway holds its own private key and the province's public
 * key; the province (the simulator) holds its private key and the gateway's public key. {@link
 * #seal} signs with the local private key and encrypts for the peer; {@link #open} decrypts with
 * the local private key and verifies with the peer's public key.
 */
public final class Sm2Sm4Envelope implements ProvinceEnvelope {

  public static final String KIND = "sm2-sm4";

  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

  private final String appMark;
  private final ECPrivateKeyParameters localPrivateKey;
  private final ECPublicKeyParameters peerPublicKey;
  private final Clock clock;
  private final ReplayGuard replayGuard;
  private final Supplier<String> nonces;
  private final SecureRandom random;

  /**
   * @param appMark the gateway's identity at the province
   * @param localPrivateKeyHex this side's SM2 private key (32-byte hex)
   * @param peerPublicKeyHex the other side's SM2 public key ({@code 04||x||y} hex)
   */
  public Sm2Sm4Envelope(String appMark, String localPrivateKeyHex, String peerPublicKeyHex) {
    this(appMark, localPrivateKeyHex, peerPublicKeyHex, Clock.systemUTC(), ReplayGuard.DEFAULT_MAX_SKEW);
  }

  public Sm2Sm4Envelope(String appMark, String localPrivateKeyHex, String peerPublicKeyHex, Clock clock, Duration maxSkew) {
    this(appMark, localPrivateKeyHex, peerPublicKeyHex, clock, maxSkew, EnvelopeJson::nonce, EnvelopeJson.random());
  }

  /** For reproducible examples: {@code random} supplies the SM4 key, the IV and both SM2 k values. */
  Sm2Sm4Envelope(
      String appMark,
      String localPrivateKeyHex,
      String peerPublicKeyHex,
      Clock clock,
      Duration maxSkew,
      Supplier<String> nonces,
      SecureRandom random) {
    if (appMark == null || appMark.isBlank()) {
      throw new IllegalArgumentException("sm2-sm4 envelope: appMark is missing");
    }
    this.appMark = appMark;
    this.localPrivateKey = Guomi.sm2PrivateKey(localPrivateKeyHex);
    this.peerPublicKey = Guomi.sm2PublicKey(peerPublicKeyHex);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.replayGuard = new ReplayGuard(clock, maxSkew);
    this.nonces = nonces;
    this.random = random;
  }

  @Override
  public String kind() {
    return KIND;
  }

  public String appMark() {
    return appMark;
  }

  @Override
  public SealedRequest seal(byte[] payloadJson) {
    EnvelopeJson.utf8(payloadJson); // refuse non-UTF-8 early, as the HMAC envelope does
    byte[] sm4Key = new byte[16];
    byte[] iv = new byte[16];
    random.nextBytes(sm4Key);
    random.nextBytes(iv);
    byte[] ciphertext = Guomi.sm4CbcEncrypt(sm4Key, iv, payloadJson);
    byte[] encryptedKey = Guomi.sm2Encrypt(peerPublicKey, sm4Key, random);
    Arrays.fill(sm4Key, (byte) 0);

    String time = TIME.format(LocalDateTime.ofInstant(clock.instant(), CHINA));
    String nonce = nonces.get();
    String digest = HexFormat.of().formatHex(Guomi.sm3(ciphertext));
    byte[] signature = Guomi.sm2Sign(localPrivateKey, stringToSign(appMark, time, nonce, digest), random);

    Base64.Encoder base64 = Base64.getEncoder();
    ObjectNode body = EnvelopeJson.object();
    body.put("appMark", appMark);
    body.put("time", time);
    body.put("nonce", nonce);
    body.put("key", base64.encodeToString(encryptedKey));
    body.put("iv", base64.encodeToString(iv));
    body.put("data", base64.encodeToString(ciphertext));
    body.put("digest", digest);
    body.put("sign", base64.encodeToString(signature));
    return new SealedRequest(EnvelopeJson.write(body), SealedRequest.JSON_UTF8, Map.of());
  }

  @Override
  public byte[] open(SealedRequest request) throws EnvelopeException {
    JsonNode body = EnvelopeJson.read(request.body());
    String sender = EnvelopeJson.text(body, "appMark");
    String time = EnvelopeJson.text(body, "time");
    String nonce = EnvelopeJson.text(body, "nonce");
    byte[] encryptedKey = base64(body, "key");
    byte[] iv = base64(body, "iv");
    byte[] ciphertext = base64(body, "data");
    String digest = EnvelopeJson.text(body, "digest");
    byte[] signature = base64(body, "sign");

    if (!sender.equals(appMark)) {
      throw new EnvelopeException(EnvelopeException.Reason.UNKNOWN_APP, "appMark " + sender);
    }
    Instant requestTime = parseTime(time);
    replayGuard.checkFresh(requestTime);

    if (!Guomi.sm2Verify(peerPublicKey, stringToSign(sender, time, nonce, digest), signature)) {
      throw new EnvelopeException(EnvelopeException.Reason.BAD_SIGNATURE, "SM3withSM2 signature does not verify");
    }
    byte[] actualDigest = Guomi.sm3(ciphertext);
    byte[] claimedDigest;
    try {
      claimedDigest = HexFormat.of().parseHex(digest);
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "digest is not hex");
    }
    if (!MessageDigest.isEqual(actualDigest, claimedDigest)) {
      throw new EnvelopeException(EnvelopeException.Reason.DIGEST_MISMATCH, "SM3 of data differs from digest");
    }
    replayGuard.remember(sender, nonce, requestTime);

    byte[] sm4Key;
    try {
      sm4Key = Guomi.sm2Decrypt(localPrivateKey, encryptedKey);
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new EnvelopeException(EnvelopeException.Reason.BAD_DECRYPTION, "SM2 key envelope does not decrypt", e);
    }
    if (sm4Key.length != 16 || iv.length != 16) {
      throw new EnvelopeException(EnvelopeException.Reason.BAD_DECRYPTION, "SM4 key and IV must be 16 bytes");
    }
    try {
      return Guomi.sm4CbcDecrypt(sm4Key, iv, ciphertext);
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new EnvelopeException(EnvelopeException.Reason.BAD_DECRYPTION, "SM4 data does not decrypt", e);
    } finally {
      Arrays.fill(sm4Key, (byte) 0);
    }
  }

  /** {@code appMark + time + nonce + digest} as UTF-8. */
  static byte[] stringToSign(String appMark, String time, String nonce, String digestHex) {
    return (appMark + time + nonce + digestHex).getBytes(StandardCharsets.UTF_8);
  }

  private static Instant parseTime(String time) throws EnvelopeException {
    try {
      return LocalDateTime.parse(time, TIME).atZone(CHINA).toInstant();
    } catch (DateTimeParseException e) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "time must be yyyyMMddHHmmss");
    }
  }

  private static byte[] base64(JsonNode body, String field) throws EnvelopeException {
    try {
      return Base64.getDecoder().decode(EnvelopeJson.text(body, field));
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "'" + field + "' is not Base64");
    }
  }
}
