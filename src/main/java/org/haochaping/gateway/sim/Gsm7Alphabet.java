package org.haochaping.gateway.sim;

/**
 * The GSM 03.38 default alphabet as SMPP carries it for data_coding 0: one septet per octet
 * (unpacked), with 0x1B escaping into the extension table.
 */
final class Gsm7Alphabet {

  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅå"
          + "Δ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ"
          + " !\"#¤%&'()*+,-./"
          + "0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNO"
          + "PQRSTUVWXYZÄÖÑÜ§"
          + "¿abcdefghijklmno"
          + "pqrstuvwxyzäöñüà";

  private static final int ESCAPE = 0x1B;

  static {
    if (BASIC.length() != 128) {
      throw new ExceptionInInitializerError("GSM basic table has " + BASIC.length() + " entries");
    }
  }

  /** Decoded text and whether every octet was a valid GSM default-alphabet code. */
  record Decoded(String text, boolean allGsm) {}

  private Gsm7Alphabet() {}

  static Decoded decode(byte[] octets, int offset, int length) {
    StringBuilder text = new StringBuilder(length);
    boolean allGsm = true;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      int c = octets[i] & 0xFF;
      if (c > 0x7F) {
        allGsm = false; // e.g. UTF-8 or GBK bytes sent under data_coding 0
        text.append('\uFFFD');
      } else if (c == ESCAPE) {
        if (i + 1 >= end) {
          allGsm = false;
          break;
        }
        int e = octets[++i] & 0xFF;
        char x = extension(e);
        if (x == 0) {
          allGsm = false;
          text.append(e <= 0x7F ? BASIC.charAt(e) : '\uFFFD'); // 03.38: show the basic character
        } else {
          text.append(x);
        }
      } else {
        text.append(BASIC.charAt(c));
      }
    }
    return new Decoded(text.toString(), allGsm);
  }

  /** True when every character of the text has a GSM default-alphabet code (basic or extension). */
  static boolean canEncode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == ESCAPE || (BASIC.indexOf(ch) < 0 && "\f^{}\\[~]|€".indexOf(ch) < 0)) {
        return false;
      }
    }
    return true;
  }

  private static char extension(int code) {
    return switch (code) {
      case 0x0A -> '\f';
      case 0x14 -> '^';
      case 0x28 -> '{';
      case 0x29 -> '}';
      case 0x2F -> '\\';
      case 0x3C -> '[';
      case 0x3D -> '~';
      case 0x3E -> ']';
      case 0x40 -> '|';
      case 0x65 -> '€';
      default -> 0;
    };
  }
}
