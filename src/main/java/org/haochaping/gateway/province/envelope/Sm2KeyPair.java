package org.haochaping.gateway.province.envelope;

import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;

/**
 * An SM2 key pair in the hex form provinces exchange: private key 32 bytes, public key {@code
 * 04||x||y}. {@code toString()} never shows the private key.
 */
public record Sm2KeyPair(String privateKeyHex, String publicKeyHex) {

  public Sm2KeyPair {
    ECPrivateKeyParameters priv = Guomi.sm2PrivateKey(privateKeyHex);
    ECPublicKeyParameters pub = Guomi.sm2PublicKey(publicKeyHex);
    if (!derivePublic(priv).getQ().equals(pub.getQ())) {
      throw new IllegalArgumentException("SM2 public key does not belong to the private key");
    }
    privateKeyHex = privateKeyHex.strip().toLowerCase();
    publicKeyHex = publicKeyHex.strip().toLowerCase();
  }

  public static Sm2KeyPair generate() {
    return generate(new SecureRandom());
  }

  public static Sm2KeyPair generate(SecureRandom random) {
    ECKeyPairGenerator generator = new ECKeyPairGenerator();
    generator.init(new ECKeyGenerationParameters(Guomi.SM2_DOMAIN, random));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    ECPrivateKeyParameters priv = (ECPrivateKeyParameters) pair.getPrivate();
    ECPublicKeyParameters pub = (ECPublicKeyParameters) pair.getPublic();
    return new Sm2KeyPair(
        Hex.toHexString(BigIntegers.asUnsignedByteArray(32, priv.getD())), Guomi.sm2PublicKeyHex(pub));
  }

  /** The pair whose public key is derived from {@code privateKeyHex}. */
  public static Sm2KeyPair fromPrivateKey(String privateKeyHex) {
    return new Sm2KeyPair(privateKeyHex, Guomi.sm2PublicKeyHex(derivePublic(Guomi.sm2PrivateKey(privateKeyHex))));
  }

  private static ECPublicKeyParameters derivePublic(ECPrivateKeyParameters priv) {
    return new ECPublicKeyParameters(
        new FixedPointCombMultiplier().multiply(Guomi.SM2_DOMAIN.getG(), priv.getD()).normalize(), Guomi.SM2_DOMAIN);
  }

  @Override
  public String toString() {
    return "Sm2KeyPair[publicKeyHex=" + publicKeyHex + ", privateKeyHex=(hidden)]";
  }
}
