package org.haochaping.gateway.sim;

import java.time.Instant;
import java.util.HexFormat;

/**
 * A deliver_sm the simulator sends to the bound ESME: a delivery receipt or a mobile-originated
 * reply. Kept until sent (also across dropped binds, as a real SMSC queues them).
 *
 * @param receiptedMessageId for receipts, the id of the submitted part; null for MO
 * @param commandStatus the deliver_sm_resp status when the ESME refused it
 */
public record Delivery(
    long id,
    Kind kind,
    String source,
    String destination,
    String text,
    int esmClass,
    int dataCoding,
    byte[] shortMessage,
    String receiptedMessageId,
    ReceiptState receiptState,
    Status status,
    int attempts,
    Instant queuedAt,
    Instant doneAt,
    int commandStatus) {

  /** A delivery receipt or a mobile-originated message. */
  public enum Kind {
    RECEIPT,
    MO
  }

  /** Where the deliver_sm is. */
  public enum Status {
    QUEUED,
    DELIVERED,
    REFUSED_BY_ESME,
    FAILED
  }

  public Delivery {
    shortMessage = shortMessage.clone();
  }

  @Override
  public byte[] shortMessage() {
    return shortMessage.clone();
  }

  public String shortMessageHex() {
    return HexFormat.of().formatHex(shortMessage);
  }

  Delivery with(Status newStatus, int newAttempts, Instant at, int status) {
    return new Delivery(
        id, kind, source, destination, text, esmClass, dataCoding, shortMessage,
        receiptedMessageId, receiptState, newStatus, newAttempts, queuedAt, at, status);
  }
}
