package org.haochaping.gateway.province.envelope;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;

/**
 * The 国密 (Chinese commercial cryptography) primitives the provincial envelopes use, on the
 * BouncyCastle lightweight API (no JCE provider is registered):
 *
 * <ul>
 *   <li>SM2 on the recommended curve {@code sm2p256v1} (GB/T 32918): signatures SM3withSM2 with the
 *       default user ID {@code 1234567812345678}, DER-encoded; encryption in C1C3C2 order with an
 *       uncompressed C1 ({@code 04||x||y}).
 *   <li>SM3 digests (GB/T 32905).
 *   <li>SM4 in CBC mode with PKCS#7 padding (GB/T 32907).
 * </ul>
 *
 * BouncyCastle's engines are not thread-safe, so each call builds its own; they are cheap.
 */
public final class Guomi {

  /** The user ID GB/T 35276 prescribes when the parties agree on none. */
  public static final String DEFAULT_USER_ID = "1234567812345678";

  // CustomNamedCurves has the same parameters as GMNamedCurves but BouncyCastle's dedicated field
  // arithmetic for this prime: about 4x faster than the generic Fp curve.
  static final X9ECParameters SM2P256V1 = CustomNamedCurves.getByName("sm2p256v1");
  static final ECDomainParameters SM2_DOMAIN = new ECDomainParameters(SM2P256V1);

  private static final byte[] DEFAULT_USER_ID_BYTES = DEFAULT_USER_ID.getBytes(StandardCharsets.US_ASCII);

  private Guomi() {}

  public static byte[] sm3(byte[] data) {
    SM3Digest digest = new SM3Digest();
    digest.update(data, 0, data.length);
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }

  /** SM4/CBC/PKCS7: {@code key} and {@code iv} are 16 bytes. */
  public static byte[] sm4CbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
    try {
      return sm4Cbc(true, key, iv, plaintext);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("SM4 encryption cannot fail on valid input", e);
    }
  }

  /** SM4/CBC/PKCS7 decryption; a wrong key usually shows up as bad padding. */
  public static byte[] sm4CbcDecrypt(byte[] key, byte[] iv, byte[] ciphertext) throws InvalidCipherTextException {
    return sm4Cbc(false, key, iv, ciphertext);
  }

  private static byte[] sm4Cbc(boolean encrypt, byte[] key, byte[] iv, byte[] input) throws InvalidCipherTextException {
    if (key.length != 16 || iv.length != 16) {
      throw new IllegalArgumentException("SM4 key and IV must be 16 bytes");
    }
    PaddedBufferedBlockCipher cipher =
        new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(new SM4Engine()), new PKCS7Padding());
    cipher.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
    byte[] out = new byte[cipher.getOutputSize(input.length)];
    int n = cipher.processBytes(input, 0, input.length, out, 0);
    n += cipher.doFinal(out, n);
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  /** SM2 encryption, output {@code C1 (65 bytes, 04||x||y) || C3 (32) || C2}. */
  public static byte[] sm2Encrypt(ECPublicKeyParameters publicKey, byte[] plaintext, SecureRandom random) {
    SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
    engine.init(true, new ParametersWithRandom(publicKey, random));
    try {
      return engine.processBlock(plaintext, 0, plaintext.length);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("SM2 encryption cannot fail on valid input", e);
    }
  }

  /** SM2 decryption of {@code C1 || C3 || C2}; fails when C3 does not match (wrong key, tampering). */
  public static byte[] sm2Decrypt(ECPrivateKeyParameters privateKey, byte[] ciphertext) throws InvalidCipherTextException {
    SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
    engine.init(false, privateKey);
    return engine.processBlock(ciphertext, 0, ciphertext.length);
  }

  /** SM3withSM2 over {@code message} with the default user ID; DER {@code SEQUENCE {r, s}}. */
  public static byte[] sm2Sign(ECPrivateKeyParameters privateKey, byte[] message, SecureRandom random) {
    SM2Signer signer = new SM2Signer(new SM3Digest());
    signer.init(true, new ParametersWithID(new ParametersWithRandom(privateKey, random), DEFAULT_USER_ID_BYTES));
    signer.update(message, 0, message.length);
    try {
      return signer.generateSignature();
    } catch (CryptoException e) {
      throw new IllegalStateException("SM2 signing failed", e);
    }
  }

  /** Verifies a DER-encoded SM3withSM2 signature made with the default user ID. */
  public static boolean sm2Verify(ECPublicKeyParameters publicKey, byte[] message, byte[] derSignature) {
    SM2Signer signer = new SM2Signer(new SM3Digest());
    signer.init(false, new ParametersWithID(publicKey, DEFAULT_USER_ID_BYTES));
    signer.update(message, 0, message.length);
    try {
      return signer.verifySignature(derSignature);
    } catch (RuntimeException e) {
      return false; // not DER, or r/s out of range
    }
  }

  /** A private key from 64 hex characters (32 bytes, big-endian), 1 <= d <= n-2. */
  public static ECPrivateKeyParameters sm2PrivateKey(String hex) {
    String h = strip(hex, "SM2 private key");
    if (!h.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("SM2 private key must be 64 hex characters (32 bytes)");
    }
    BigInteger d = new BigInteger(h, 16);
    if (d.signum() <= 0 || d.compareTo(SM2_DOMAIN.getN().subtract(BigInteger.ONE)) >= 0) {
      throw new IllegalArgumentException("SM2 private key is out of range for sm2p256v1");
    }
    return new ECPrivateKeyParameters(d, SM2_DOMAIN);
  }

  /** A public key from 130 hex characters: {@code 04 || x || y} (uncompressed point). */
  public static ECPublicKeyParameters sm2PublicKey(String hex) {
    String h = strip(hex, "SM2 public key");
    if (!h.matches("04[0-9a-fA-F]{128}")) {
      throw new IllegalArgumentException("SM2 public key must be 130 hex characters: 04 || x || y");
    }
    ECPoint q;
    try {
      q = SM2_DOMAIN.getCurve().decodePoint(Hex.decode(h));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SM2 public key is not a point on sm2p256v1", e);
    }
    return new ECPublicKeyParameters(q, SM2_DOMAIN);
  }

  /** {@code 04 || x || y} in lower-case hex. */
  public static String sm2PublicKeyHex(ECPublicKeyParameters publicKey) {
    return Hex.toHexString(publicKey.getQ().getEncoded(false));
  }

  private static String strip(String hex, String what) {
    if (hex == null || hex.isBlank()) {
      throw new IllegalArgumentException(what + " is missing");
    }
    return hex.strip();
  }
}
