package org.haochaping.gateway.sms;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The text of one mobile-originated deliver_sm, as the handset typed it: the user data header (if
 * esm_class says there is one) read for concatenation and removed, the rest decoded by data_coding.
 * Chinese handsets send UCS-2 (8); some carriers pass GBK (15, as in CMPP); digits and {@code TD}
 * come in the default alphabet (0).
 *
 * @param reference concatenation reference, or -1 when this deliver_sm is a whole message
 */
public record MoText(String text, int reference, int total, int seq) {

  private static final int ESM_UDHI = 0x40;
  private static final Charset GBK = Charset.forName("GBK");

  public boolean isPart() {
    return reference >= 0 && total > 1;
  }

  public static MoText decode(int dataCoding, int esmClass, byte[] userData) {
    byte[] data = userData == null ? new byte[0] : userData;
    int offset = 0;
    int reference = -1;
    int total = 1;
    int seq = 1;
    if ((esmClass & ESM_UDHI) != 0 && data.length > 0) {
      int udhLength = data[0] & 0xFF;
      int end = Math.min(data.length, 1 + udhLength);
      int i = 1;
      while (i + 1 < end) {
        int iei = data[i] & 0xFF;
        int len = data[i + 1] & 0xFF;
        if (i + 2 + len > end) {
          break;
        }
        if (iei == 0x00 && len == 3) {
          reference = data[i + 2] & 0xFF;
          total = data[i + 3] & 0xFF;
          seq = data[i + 4] & 0xFF;
        } else if (iei == 0x08 && len == 4) {
          reference = ((data[i + 2] & 0xFF) << 8) | (data[i + 3] & 0xFF);
          total = data[i + 4] & 0xFF;
          seq = data[i + 5] & 0xFF;
        }
        i += 2 + len;
      }
      offset = end;
    }
    byte[] body = Arrays.copyOfRange(data, offset, data.length);
    return new MoText(text(dataCoding, body), reference, total, seq);
  }

  private static String text(int dataCoding, byte[] body) {
    int dc = dataCoding & 0xFF;
    if (dc == 0x08 || (dc & 0xCC) == 0x08 && (dc & 0xC0) == 0 || (dc & 0xF0) == 0xE0) {
      return new String(body, StandardCharsets.UTF_16BE);
    }
    return switch (dc) {
      case 0x0F -> new String(body, GBK);
      case 0x03 -> new String(body, StandardCharsets.ISO_8859_1);
      case 0x01 -> new String(body, StandardCharsets.US_ASCII);
      case 0x00 -> gsmBasic(body);
      default -> new String(body, StandardCharsets.UTF_8);
    };
  }

  /**
   * The GSM 03.38 default alphabet, one septet per octet as SMPP carries it. Replies are digits,
   * Latin letters and {@code TD}, which the alphabet shares with ASCII; the few positions where it
   * differs and that a reply might contain are mapped, the rest read as ASCII.
   */
  private static String gsmBasic(byte[] body) {
    StringBuilder b = new StringBuilder(body.length);
    for (byte x : body) {
      int c = x & 0x7F;
      b.append(switch (c) {
        case 0x00 -> '@';
        case 0x02 -> '$';
        case 0x11 -> '_';
        case 0x0A -> '\n';
        case 0x0D -> '\r';
        default -> c < 0x20 ? ' ' : (char) c;
      });
    }
    return b.toString();
  }
}
