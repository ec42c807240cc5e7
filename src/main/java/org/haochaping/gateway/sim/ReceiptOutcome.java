package org.haochaping.gateway.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * What the simulated network does with a submitted part: the receipt state, the {@code err:} code
 * and how long after the submit the receipt is sent.
 */
public record ReceiptOutcome(ReceiptState state, String error, Duration delay) {

  public ReceiptOutcome {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(delay, "delay");
    if (error == null || error.isEmpty() || error.contains(" ")) {
      throw new IllegalArgumentException("err code must be a non-empty word: " + error);
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
  }

  public static ReceiptOutcome delivered() {
    return new ReceiptOutcome(ReceiptState.DELIVRD, "000", Duration.ZERO);
  }

  public static ReceiptOutcome undeliverable(String error) {
    return new ReceiptOutcome(ReceiptState.UNDELIV, error, Duration.ZERO);
  }

  public static ReceiptOutcome expired() {
    return new ReceiptOutcome(ReceiptState.EXPIRED, "000", Duration.ZERO);
  }

  public static ReceiptOutcome of(ReceiptState state) {
    return new ReceiptOutcome(state, state == ReceiptState.DELIVRD ? "000" : "001", Duration.ZERO);
  }

  public ReceiptOutcome after(Duration delay) {
    return new ReceiptOutcome(state, error, delay);
  }
}
