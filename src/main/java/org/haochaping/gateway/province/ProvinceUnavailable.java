package org.haochaping.gateway.province;

/**
 * A call to the province that did not give a usable answer: the network failed, it timed out, the
 * province answered 5xx, refused the envelope, or sent something that is not its answer. Transient:
 * the ratings are retried, never dropped. The message names what happened and carries no record data.
 */
public final class ProvinceUnavailable extends Exception {

  public ProvinceUnavailable(String message) {
    super(message);
  }

  public ProvinceUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
