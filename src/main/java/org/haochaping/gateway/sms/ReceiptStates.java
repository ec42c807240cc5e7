package org.haochaping.gateway.sms;

/** What a delivery receipt's {@code stat:} (SMPP 3.4 Appendix B) means for the SMS log. */
final class ReceiptStates {

  private ReceiptStates() {}

  /** DELIVERED, FAILED, EXPIRED, or null while the part is still on its way (ENROUTE, ACCEPTD) or unknown. */
  static SmsLog.Status statusOf(String stat) {
    if (stat == null) {
      return null;
    }
    return switch (stat) {
      case "DELIVRD" -> SmsLog.Status.DELIVERED;
      case "EXPIRED" -> SmsLog.Status.EXPIRED;
      case "UNDELIV", "REJECTD", "DELETED", "UNKNOWN" -> SmsLog.Status.FAILED;
      default -> null;
    };
  }
}
