package org.haochaping.gateway.sms;

import java.util.Set;
import org.apache.camel.component.smpp.SmppException;
import org.jsmpp.PDUException;
import org.jsmpp.extra.NegativeResponseException;

/**
 * A submit_sm that did not get an SMSC message id: either permanent (the SMSC refused this SMS and
 * always will: bad destination, bad length...) or transient (not bound, link lost mid-submit,
 * throttled, system error), which the broker redelivers with backoff.
 */
public final class SmscException extends Exception {

  /** command_status of SMPP 3.4 the gateway names in logs and the SMS log. */
  public static final int ESME_RTHROTTLED = 0x58;

  private final int commandStatus;
  private final boolean permanent;

  public SmscException(String message, int commandStatus, boolean permanent, Throwable cause) {
    super(message, cause);
    this.commandStatus = commandStatus;
    this.permanent = permanent;
  }

  /** Not bound (yet, or any more): the SMS waits in the queue. */
  public static SmscException unavailable(String message) {
    return new SmscException(message, -1, false, null);
  }

  /** What camel-smpp's failure means for this SMS, given the statuses configured as permanent. */
  public static SmscException classify(SmppException e, Set<Integer> permanentStatuses) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    if (cause instanceof NegativeResponseException nre) {
      int status = nre.getCommandStatus();
      return new SmscException("SMSC answered " + statusName(status), status, permanentStatuses.contains(status), e);
    }
    if (cause instanceof PDUException) {
      // jSMPP refused to build the PDU (e.g. an address over 20 digits): sending again cannot help.
      return new SmscException("invalid submit_sm: " + cause.getMessage(), -1, true, e);
    }
    return new SmscException("submit_sm failed: " + cause, -1, false, e);
  }

  /** The SMPP command_status, or -1 when the SMSC gave none (I/O, timeout, not bound). */
  public int commandStatus() {
    return commandStatus;
  }

  /** True when this SMS will never be accepted: log it FAILED, do not retry. */
  public boolean isPermanent() {
    return permanent;
  }

  /** {@code 0x0000000B}, as SMPP 3.4 and carriers' documents write it. */
  public static String statusName(int status) {
    String hex = String.format("0x%08X", status);
    return switch (status) {
      case 0x01 -> hex + " ESME_RINVMSGLEN";
      case 0x08 -> hex + " ESME_RSYSERR";
      case 0x0A -> hex + " ESME_RINVSRCADR";
      case 0x0B -> hex + " ESME_RINVDSTADR";
      case 0x14 -> hex + " ESME_RMSGQFUL";
      case 0x45 -> hex + " ESME_RSUBMITFAIL";
      case ESME_RTHROTTLED -> hex + " ESME_RTHROTTLED";
      case 0x66 -> hex + " ESME_RX_R_APPN";
      default -> hex;
    };
  }
}
