package org.haochaping.gateway.sms;

/**
 * One submit_sm of an SMS: its sequence number, the short_message octets (UDH included when the
 * SMS has several parts) and the text of this part. Lives only in the sending exchange.
 */
public record SmsPart(String smsId, SmsKind kind, int seq, int total, byte[] shortMessage, String text, String mobile,
    String sourceAddr) {

  @Override
  public String toString() {
    // never the mobile
    return "SmsPart[" + smsId + " " + seq + "/" + total + "]";
  }
}
