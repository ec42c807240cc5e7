package org.haochaping.gateway.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.Person;

/**
 * Seals personal data (evaluator, applicant) for storage: in the database, in the broker journal,
 * everywhere it rests (002 第十一条: evaluator information is kept confidential).
 *
 * <p>AES-256-GCM with a random 96-bit nonce; the sealed text is {@code v1:<keyId>:<base64(nonce|ciphertext|tag)>}
 * where keyId names the key, so that old rows stay readable after a key rotation: the current key
 * seals, every configured key opens. Mobiles are also indexed by a keyed hash (HMAC-SHA256 under a
 * key derived from the current data key) so that an SMS reply can find its case without a mobile
 * in clear.
 */
public final class PersonalDataCipher {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecureRandom random = new SecureRandom();
  private final String currentKeyId;
  private final SecretKeySpec currentKey;
  private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
  private final byte[] indexKey;

  /** @param current the 32-byte key that seals; @param previous older keys that may still have to open. */
  public PersonalDataCipher(byte[] current, List<byte[]> previous) {
    this.currentKey = aesKey(current);
    this.currentKeyId = keyId(current);
    keys.put(currentKeyId, currentKey);
    for (byte[] old : previous) {
      keys.putIfAbsent(keyId(old), aesKey(old));
    }
    this.indexKey = hmac(current, "haochaping mobile index v1".getBytes(StandardCharsets.UTF_8));
  }

  /** A new random 32-byte key, Base64-encoded, as written to the credentials file on first start. */
  public static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  public String currentKeyId() {
    return currentKeyId;
  }

  public String seal(Person person) {
    if (person == null || person.isEmpty() && person.idType() == null && person.userProp() == null) {
      return null;
    }
    return seal(Json.bytes(person));
  }

  public Person openPerson(String sealed) {
    return sealed == null ? null : Json.read(open(sealed), Person.class);
  }

  public String seal(byte[] plain) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, currentKey, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(currentKeyId.getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = cipher.doFinal(plain);
      ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
      return "v1:" + currentKeyId + ":" + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal personal data", e);
    }
  }

  public byte[] open(String sealed) {
    String[] parts = sealed.split(":", 3);
    if (parts.length != 3 || !parts[0].equals("v1")) {
      throw new IllegalArgumentException("not a sealed value (expected v1:<keyId>:<data>)");
    }
    SecretKeySpec key = keys.get(parts[1]);
    if (key == null) {
      throw new IllegalStateException("personal data sealed with key " + parts[1]
          + " which is not configured (HCP_DATA_KEY / HCP_DATA_KEYS_PREVIOUS)");
    }
    try {
      byte[] data = Base64.getDecoder().decode(parts[2]);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      cipher.updateAAD(parts[1].getBytes(StandardCharsets.US_ASCII));
      return cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealed personal data failed its integrity check", e);
    }
  }

  /** A keyed hash of a mobile number for lookups; null for null. */
  public String mobileIndex(String mobile) {
    if (mobile == null || mobile.isBlank()) {
      return null;
    }
    return HexFormat.of().formatHex(hmac(indexKey, mobile.strip().getBytes(StandardCharsets.UTF_8)));
  }

  private static SecretKeySpec aesKey(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the data key must be 32 bytes (Base64 of 32 random bytes), was " + key.length);
    }
    return new SecretKeySpec(key, "AES");
  }

  private static String keyId(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
