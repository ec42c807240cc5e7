package org.haochaping.gateway.province.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.util.test.TestRandomBigInteger;
import org.junit.jupiter.api.Test;

/**
 * Published test vectors for the primitives under both envelopes, run through our own {@link
 * Guomi} and {@link HmacJsonEnvelope} code rather than BouncyCastle directly.
 */
class EnvelopePrimitivesKnownAnswerTest {

  private static final HexFormat HEX = HexFormat.of();

  // GB/T 32918.5-2017 附录A (= GM/T 0003.5-2012), the worked example on the recommended curve
  // sm2p256v1 with ID "1234567812345678"; the same numbers are in OpenSSL's
  // test/sm2_internal_test.c.
  private static final String D = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8";
  private static final String P =
      "04"
          + "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
          + "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13";
  private static final String K = "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21";
  private static final String ZA = "B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3";
  private static final String E = "F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640";
  private static final BigInteger R = new BigInteger("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3", 16);
  private static final BigInteger S = new BigInteger("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA", 16);
  private static final byte[] MESSAGE = "message digest".getBytes(StandardCharsets.US_ASCII);

  // The encryption example of the same annex, as C1 || C3 || C2 (C1 uncompressed).
  private static final String ENCRYPTED_C1C3C2 =
      "04"
          + "04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73"
          + "E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0"
          + "59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766"
          + "21886CA989CA9C7D58087307CA93092D651EFA";

  @Test
  void sm3OfAbcIsTheStandardValue() {
    // GB/T 32905-2016 附录A 示例1
    assertThat(hex(Guomi.sm3("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  }

  @Test
  void sm3OfSixtyFourBytesIsTheStandardValue() {
    // GB/T 32905-2016 附录A 示例2: "abcd" repeated 16 times
    assertThat(hex(Guomi.sm3("abcd".repeat(16).getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
  }

  @Test
  void sm4FirstCbcBlockWithZeroIvIsTheStandardEcbVector() {
    // GB/T 32907-2016 附录A 示例1: key = plaintext = 0123456789abcdeffedcba9876543210.
    // CBC with a zero IV encrypts the first block exactly as ECB does; PKCS#7 then adds a block.
    byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
    byte[] ciphertext = Guomi.sm4CbcEncrypt(key, new byte[16], key);
    assertThat(ciphertext).hasSize(32);
    assertThat(hex(ciphertext).substring(0, 32)).isEqualTo("681edf34d206965e86b3e94f536e4246");
  }

  @Test
  void sm4CbcMatchesOpenSsl() throws InvalidCipherTextException {
    // printf '{"records":[]}' | openssl enc -sm4-cbc -K 0123456789abcdeffedcba9876543210 \
    //     -iv 000102030405060708090a0b0c0d0e0f | xxd -p
    byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
    byte[] iv = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    byte[] plaintext = "{\"records\":[]}".getBytes(StandardCharsets.UTF_8);
    byte[] ciphertext = Guomi.sm4CbcEncrypt(key, iv, plaintext);
    assertThat(hex(ciphertext)).isEqualTo("c54a8a893d5dbd830aa3b9eb33f8fa5a");
    assertThat(Guomi.sm4CbcDecrypt(key, iv, ciphertext)).isEqualTo(plaintext);
  }

  @Test
  void hmacSha256IsRfc4231TestCase2() {
    byte[] mac =
        HmacJsonEnvelope.hmacSha256(
            "Jefe".getBytes(StandardCharsets.US_ASCII),
            "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
    assertThat(hex(mac)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void publicKeyOfTheStandardPrivateKeyIsTheStandardPoint() {
    assertThat(Sm2KeyPair.fromPrivateKey(D).publicKeyHex()).isEqualTo(P.toLowerCase());
  }

  @Test
  void zaAndEOfTheStandardExampleComeOutOfSm3() {
    // ZA = SM3(ENTL || ID || a || b || xG || yG || xA || yA); e = SM3(ZA || M)
    var curve = Guomi.SM2P256V1;
    String za =
        hex(
            Guomi.sm3(
                HEX.parseHex(
                    "0080"
                        + hex("1234567812345678".getBytes(StandardCharsets.US_ASCII))
                        + hex(curve.getCurve().getA().getEncoded())
                        + hex(curve.getCurve().getB().getEncoded())
                        + hex(curve.getG().getEncoded(false)).substring(2)
                        + P.substring(2))));
    assertThat(za).isEqualToIgnoringCase(ZA);
    assertThat(hex(Guomi.sm3(HEX.parseHex(za + hex(MESSAGE))))).isEqualToIgnoringCase(E);
  }

  @Test
  void publishedSm2SignatureVerifies() throws Exception {
    ECPublicKeyParameters publicKey = Guomi.sm2PublicKey(P);
    byte[] der = StandardDSAEncoding.INSTANCE.encode(Guomi.SM2_DOMAIN.getN(), R, S);

    assertThat(Guomi.sm2Verify(publicKey, MESSAGE, der)).isTrue();
    assertThat(Guomi.sm2Verify(publicKey, "message digesT".getBytes(StandardCharsets.US_ASCII), der)).isFalse();
    byte[] otherS = StandardDSAEncoding.INSTANCE.encode(Guomi.SM2_DOMAIN.getN(), R, S.add(BigInteger.ONE));
    assertThat(Guomi.sm2Verify(publicKey, MESSAGE, otherS)).isFalse();
  }

  @Test
  void sm2SignatureWithTheStandardKIsThePublishedSignature() throws Exception {
    // BouncyCastle draws k from the SecureRandom; TestRandomBigInteger (BouncyCastle's own test
    // helper, shipped in bcprov) hands it exactly the k of the standard.
    ECPrivateKeyParameters privateKey = Guomi.sm2PrivateKey(D);
    byte[] der = Guomi.sm2Sign(privateKey, MESSAGE, new TestRandomBigInteger(K, 16));
    BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(Guomi.SM2_DOMAIN.getN(), der);
    assertThat(rs[0]).isEqualTo(R);
    assertThat(rs[1]).isEqualTo(S);
  }

  @Test
  void sm2EncryptionWithTheStandardKIsThePublishedCiphertext() {
    byte[] ciphertext =
        Guomi.sm2Encrypt(
            Guomi.sm2PublicKey(P), "encryption standard".getBytes(StandardCharsets.US_ASCII), new TestRandomBigInteger(K, 16));
    assertThat(hex(ciphertext)).isEqualToIgnoringCase(ENCRYPTED_C1C3C2);
  }

  @Test
  void publishedSm2CiphertextDecryptsAndATamperedOneDoesNot() throws InvalidCipherTextException {
    ECPrivateKeyParameters privateKey = Guomi.sm2PrivateKey(D);
    byte[] ciphertext = HEX.parseHex(ENCRYPTED_C1C3C2);
    assertThat(new String(Guomi.sm2Decrypt(privateKey, ciphertext), StandardCharsets.US_ASCII))
        .isEqualTo("encryption standard");

    ciphertext[ciphertext.length - 1] ^= 1; // flip one bit of C2: C3 no longer matches
    assertThatThrownBy(() -> Guomi.sm2Decrypt(privateKey, ciphertext)).isInstanceOf(InvalidCipherTextException.class);
  }

  @Test
  void sm2SignatureMadeByOpenSslVerifies() {
    // Another implementation, same standard key: with priv.pem holding D (SEC1 DER, curve 1.2.156.10197.1.301),
    // printf '好差评 signed by OpenSSL' > m.txt
    // openssl pkeyutl -sign -inkey priv.pem -rawin -digest sm3 -in m.txt -pkeyopt distid:1234567812345678 | xxd -p
    // (OpenSSL 3.0.19)
    byte[] der =
        HEX.parseHex(
            "3046022100e6cf1d0a02727e6724426d78bc5856c68510846e973fd335190da4291f08cb82"
                + "022100d3940a7e7d35ed57aa7640f166a3a96e594ce753acb4a954f1a7adf60282da51");
    byte[] message = "好差评 signed by OpenSSL".getBytes(StandardCharsets.UTF_8);
    assertThat(Guomi.sm2Verify(Guomi.sm2PublicKey(P), message, der)).isTrue();
  }

  @Test
  void sm2CiphertextMadeByOpenSslDecrypts() throws InvalidCipherTextException {
    // echo 0123456789abcdeffedcba9876543210 | xxd -r -p | openssl pkeyutl -encrypt -pubin -inkey pub.pem
    // OpenSSL writes GM/T 0009 ASN.1 {x, y, C3, C2}; laid out here as the raw 04||x||y||C3||C2 we use.
    byte[] ciphertext =
        HEX.parseHex(
            "04"
                + "3ca1cda23e2c6e9dd5479e0a4939417f3b79abb1336fcb082f38d958eef08b23"
                + "9de1a7303f36d8e5cce6db6912f6e4ddfd6c3b6ca12d46790809166268be2d4f"
                + "e564b627975fea5b039b722ea63a32193ae58c4b2469370e56e01a4f6e4719d4"
                + "0705faf7600170810df6b41019329940");
    assertThat(hex(Guomi.sm2Decrypt(Guomi.sm2PrivateKey(D), ciphertext))).isEqualTo("0123456789abcdeffedcba9876543210");
  }

  @Test
  void keysInTheWrongShapeAreRefused() {
    assertThatThrownBy(() -> Guomi.sm2PrivateKey("1234")).hasMessageContaining("64 hex");
    assertThatThrownBy(() -> Guomi.sm2PublicKey(P.substring(2))).hasMessageContaining("04 || x || y");
    String offCurve = P.substring(0, P.length() - 1) + (P.endsWith("3") ? "4" : "3");
    assertThatThrownBy(() -> Guomi.sm2PublicKey(offCurve)).hasMessageContaining("not a point");
    Sm2KeyPair other = Sm2KeyPair.generate();
    assertThatThrownBy(() -> new Sm2KeyPair(D, other.publicKeyHex())).hasMessageContaining("does not belong");
  }

  private static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
