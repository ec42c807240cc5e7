package org.haochaping.gateway.sim;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The delivery receipt short_message of SMPP 3.4 Appendix B. */
final class DeliveryReceiptText {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyMMddHHmm");

  private DeliveryReceiptText() {}

  /**
   * {@code id:<id> sub:001 dlvrd:001 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD
   * err:000 text:<first 20 characters>}. Dates are in the SMSC's local time; the text is the start
   * of the original message with anything outside printable ASCII shown as '?', since the receipt
   * itself travels in the default alphabet.
   */
  static String format(
      String messageId,
      Instant submitted,
      Instant done,
      ReceiptState state,
      String error,
      String originalText,
      ZoneId zone) {
    return "id:" + messageId
        + " sub:001"
        + " dlvrd:" + (state == ReceiptState.DELIVRD ? "001" : "000")
        + " submit date:" + DATE.format(submitted.atZone(zone))
        + " done date:" + DATE.format(done.atZone(zone))
        + " stat:" + state.name()
        + " err:" + error
        + " text:" + excerpt(originalText);
  }

  private static String excerpt(String text) {
    StringBuilder out = new StringBuilder(20);
    text.codePoints()
        .limit(20)
        .forEach(cp -> out.append(cp >= 0x20 && cp < 0x7F ? (char) cp : '?'));
    return out.toString();
  }
}
