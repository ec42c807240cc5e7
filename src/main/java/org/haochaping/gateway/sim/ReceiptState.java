package org.haochaping.gateway.sim;

/**
 * Final state in a delivery receipt: the {@code stat:} word of SMPP 3.4 Appendix B and the
 * message_state TLV value.
 */
public enum ReceiptState {
  DELIVRD(2),
  EXPIRED(3),
  DELETED(4),
  UNDELIV(5),
  ACCEPTD(6),
  UNKNOWN(7),
  REJECTD(8);

  private final int messageState;

  ReceiptState(int messageState) {
    this.messageState = messageState;
  }

  /** The message_state optional parameter value (SMPP 3.4 §5.3.2.35). */
  public int messageState() {
    return messageState;
  }

  /** True for outcomes that registered_delivery "on failure only" reports. */
  public boolean isFailure() {
    return this != DELIVRD && this != ACCEPTD;
  }
}
