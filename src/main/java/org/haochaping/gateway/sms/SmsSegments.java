package org.haochaping.gateway.sms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text into UCS-2 (data_coding 8) SMS segments the way a handset counts them.
 *
 * <p>A single UCS-2 SMS carries 140 octets = 70 UTF-16 code units. A concatenated one spends 6
 * octets on the user data header ({@code 05 00 03 ref total seq}, 8-bit reference), leaving 134
 * octets = 67 code units per part. Characters outside the BMP (emoji, rare 汉字 in CJK extension B)
 * take two code units and are never split across parts: a handset decodes each part on its own
 * and would show a split pair as two replacement characters.
 */
public final class SmsSegments {

  /** Code units that fit one UCS-2 SMS without a header. */
  public static final int SINGLE_UCS2_UNITS = 70;

  /** Code units per part of a concatenated UCS-2 SMS with a 6-octet UDH. */
  public static final int PART_UCS2_UNITS = 67;

  /** esm_class bit telling the SMSC that short_message starts with a user data header. */
  public static final int ESM_CLASS_UDHI = 0x40;

  /** data_coding for UCS-2. */
  public static final int DATA_CODING_UCS2 = 0x08;

  /** An 8-bit reference allows at most 255 parts. */
  public static final int MAX_PARTS = 255;

  private SmsSegments() {}

  /** The texts of the parts, in order; one element when the text fits a single SMS. */
  public static List<String> split(String text) {
    if (text.length() <= SINGLE_UCS2_UNITS) {
      return List.of(text);
    }
    List<String> parts = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(start + PART_UCS2_UNITS, text.length());
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--; // keep the surrogate pair together in the next part
      }
      parts.add(text.substring(start, end));
      start = end;
    }
    if (parts.size() > MAX_PARTS) {
      throw new IllegalArgumentException(
          "text needs " + parts.size() + " parts; at most " + MAX_PARTS + " can be concatenated");
    }
    return List.copyOf(parts);
  }

  /** How many SMS the text costs when sent as UCS-2. */
  public static int partCount(String text) {
    return split(text).size();
  }

  /**
   * The short_message octets for each part: UCS-2 (UTF-16BE) text, preceded by the UDH {@code 05
   * 00 03 reference total seq} when there is more than one part. Send each with {@link
   * #ESM_CLASS_UDHI} set in esm_class when {@code size() > 1}.
   *
   * @param reference the concatenation reference (0..255), the same for all parts of one text and
   *     different between texts sent close together to the same handset
   */
  public static List<byte[]> ucs2ShortMessages(String text, int reference) {
    if (reference < 0 || reference > 255) {
      throw new IllegalArgumentException("8-bit reference must be 0..255: " + reference);
    }
    List<String> parts = split(text);
    if (parts.size() == 1) {
      return List.of(parts.get(0).getBytes(StandardCharsets.UTF_16BE));
    }
    List<byte[]> messages = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      byte[] payload = parts.get(i).getBytes(StandardCharsets.UTF_16BE);
      byte[] sm = new byte[6 + payload.length];
      sm[0] = 0x05; // UDH length
      sm[1] = 0x00; // IEI: concatenated short messages, 8-bit reference
      sm[2] = 0x03; // IE length
      sm[3] = (byte) reference;
      sm[4] = (byte) parts.size();
      sm[5] = (byte) (i + 1);
      System.arraycopy(payload, 0, sm, 6, payload.length);
      messages.add(sm);
    }
    return List.copyOf(messages);
  }
}
