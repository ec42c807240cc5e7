package org.haochaping.gateway.sim;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Turns the user data of one submit_sm into the text a handset would show for that part, with the
 * concatenation information and any anomaly a carrier would reject. Pure: no SMPP session types.
 */
final class ShortMessageDecoder {

  /** Octets that fit one SMS. */
  static final int MAX_SHORT_MESSAGE_OCTETS = 140;

  private static final int ESM_UDHI = 0x40;
  private static final Charset GBK = charset("GBK");
  private static final Charset ISO_8859_5 = charset("ISO-8859-5");
  private static final Charset ISO_8859_8 = charset("ISO-8859-8");

  /** How the user data is encoded. */
  enum Alphabet {
    GSM7,
    ASCII,
    LATIN1,
    CYRILLIC,
    HEBREW,
    UCS2,
    GBK,
    BINARY
  }

  /** The decoded part. {@code concat} is null for a part that is a whole message. */
  record Decoded(Alphabet alphabet, String text, Concat concat, Set<Anomaly> anomalies) {}

  private ShortMessageDecoder() {}

  /**
   * @param dataCoding the submit_sm data_coding
   * @param esmClass the submit_sm esm_class (UDHI 0x40 means the user data starts with a UDH)
   * @param userData short_message, or the message_payload TLV when short_message is empty
   * @param fromPayload true when {@code userData} came from message_payload (no 140-octet limit)
   * @param sar concatenation from the SAR optional parameters, or null
   */
  static Decoded decode(int dataCoding, int esmClass, byte[] userData, boolean fromPayload, Concat sar) {
    Set<Anomaly> anomalies = EnumSet.noneOf(Anomaly.class);
    if (!fromPayload && userData.length > MAX_SHORT_MESSAGE_OCTETS) {
      anomalies.add(Anomaly.TOO_LONG);
    }
    int offset = 0;
    Concat concat = null;
    if ((esmClass & ESM_UDHI) != 0) {
      Udh udh = parseUdh(userData);
      if (udh == null) {
        anomalies.add(Anomaly.UDH_MALFORMED);
        offset = userData.length == 0 ? 0 : Math.min(userData.length, 1 + (userData[0] & 0xFF));
      } else {
        offset = udh.length();
        concat = udh.concat();
      }
    }
    if (concat == null && sar != null) {
      concat = sar;
    }
    if (concat != null && !concat.inRange()) {
      anomalies.add(Anomaly.PART_OUT_OF_RANGE);
    }
    Alphabet alphabet = alphabet(dataCoding);
    int length = userData.length - offset;
    String text =
        switch (alphabet) {
          case GSM7 -> {
            Gsm7Alphabet.Decoded d = Gsm7Alphabet.decode(userData, offset, length);
            if (!d.allGsm()) {
              anomalies.add(Anomaly.NON_GSM_CHARACTER);
            }
            yield d.text();
          }
          case UCS2 -> {
            if (length % 2 != 0) {
              anomalies.add(Anomaly.UCS2_ODD_LENGTH);
            }
            if (hasLoneSurrogateAtEdge(userData, offset, length)) {
              anomalies.add(Anomaly.SPLIT_SURROGATE);
            }
            // Like a handset, decode each part on its own: a lone surrogate becomes U+FFFD.
            yield new String(userData, offset, length, StandardCharsets.UTF_16BE);
          }
          case ASCII -> new String(userData, offset, length, StandardCharsets.US_ASCII);
          case LATIN1 -> new String(userData, offset, length, StandardCharsets.ISO_8859_1);
          case CYRILLIC -> new String(userData, offset, length, ISO_8859_5);
          case HEBREW -> new String(userData, offset, length, ISO_8859_8);
          case GBK -> new String(userData, offset, length, GBK);
          case BINARY -> HexFormat.of().formatHex(userData, offset, offset + length);
        };
    return new Decoded(alphabet, text, concat, anomalies);
  }

  /** SMPP 3.4 §5.2.19 data_coding values, plus 15 = GBK as Chinese carriers use it (CMPP). */
  static Alphabet alphabet(int dataCoding) {
    int dc = dataCoding & 0xFF;
    switch (dc) {
      case 0x00:
        return Alphabet.GSM7;
      case 0x01:
        return Alphabet.ASCII;
      case 0x03:
        return Alphabet.LATIN1;
      case 0x06:
        return Alphabet.CYRILLIC;
      case 0x07:
        return Alphabet.HEBREW;
      case 0x08:
        return Alphabet.UCS2;
      case 0x0F:
        return Alphabet.GBK;
      default:
        break;
    }
    if (dc >= 0x10 && dc <= 0x1F) { // general data coding with message class, uncompressed
      return switch ((dc >> 2) & 0x03) {
        case 0 -> Alphabet.GSM7;
        case 2 -> Alphabet.UCS2;
        default -> Alphabet.BINARY;
      };
    }
    if (dc >= 0xF0) { // data coding / message class group
      return (dc & 0x04) == 0 ? Alphabet.GSM7 : Alphabet.BINARY;
    }
    if (dc >= 0xC0 && dc <= 0xDF) { // message waiting indication, GSM alphabet
      return Alphabet.GSM7;
    }
    if (dc >= 0xE0 && dc <= 0xEF) { // message waiting indication, UCS-2
      return Alphabet.UCS2;
    }
    return Alphabet.BINARY;
  }

  private record Udh(int length, Concat concat) {}

  /** Parses the UDH; returns null when it is malformed. */
  private static Udh parseUdh(byte[] ud) {
    if (ud.length == 0) {
      return null;
    }
    int udhl = ud[0] & 0xFF;
    if (1 + udhl > ud.length) {
      return null;
    }
    Concat concat = null;
    int i = 1;
    int end = 1 + udhl;
    while (i < end) {
      if (i + 1 >= end) {
        return null;
      }
      int iei = ud[i] & 0xFF;
      int iel = ud[i + 1] & 0xFF;
      int data = i + 2;
      if (data + iel > end) {
        return null;
      }
      if (iei == 0x00 && iel == 3) {
        concat =
            new Concat(
                Concat.Scheme.UDH_8BIT, ud[data] & 0xFF, ud[data + 1] & 0xFF, ud[data + 2] & 0xFF);
      } else if (iei == 0x08 && iel == 4) {
        int ref = ((ud[data] & 0xFF) << 8) | (ud[data + 1] & 0xFF);
        concat =
            new Concat(Concat.Scheme.UDH_16BIT, ref, ud[data + 2] & 0xFF, ud[data + 3] & 0xFF);
      } else if (iei == 0x00 || iei == 0x08) {
        return null; // a concatenation element of the wrong length
      }
      i = data + iel;
    }
    return new Udh(end, concat);
  }

  private static boolean hasLoneSurrogateAtEdge(byte[] ud, int offset, int length) {
    if (length < 2) {
      return false;
    }
    char first = (char) (((ud[offset] & 0xFF) << 8) | (ud[offset + 1] & 0xFF));
    int lastAt = offset + (length & ~1) - 2;
    char last = (char) (((ud[lastAt] & 0xFF) << 8) | (ud[lastAt + 1] & 0xFF));
    return Character.isLowSurrogate(first) || Character.isHighSurrogate(last);
  }

  private static Charset charset(String name) {
    return Charset.isSupported(name) ? Charset.forName(name) : StandardCharsets.ISO_8859_1;
  }
}
