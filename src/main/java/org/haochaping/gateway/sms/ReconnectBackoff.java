package org.haochaping.gateway.sms;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next bind after the link dropped or a bind failed: from
 * {@code initial}, doubling up to {@code max}, each wait spread by ±20 % so that several gateway
 * nodes do not rebind in step after the SMSC comes back. A successful bind resets it.
 */
public final class ReconnectBackoff {

  private static final double JITTER = 0.2;

  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;
  private int failures;

  public ReconnectBackoff(Duration initial, Duration max) {
    this(initial, max, Math::random);
  }

  ReconnectBackoff(Duration initial, Duration max, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("reconnect backoff needs 0 < initial <= max, was " + initial + " / " + max);
    }
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The wait after one more failure. */
  public synchronized Duration next() {
    double base = Math.min(max.toMillis(), initial.toMillis() * Math.pow(2, Math.min(failures, 30)));
    failures++;
    double spread = 1 + JITTER * (2 * random.getAsDouble() - 1);
    return Duration.ofMillis(Math.max(1, Math.round(Math.min(max.toMillis(), base * spread))));
  }

  /** Failures since the last successful bind. */
  public synchronized int failures() {
    return failures;
  }

  public synchronized void reset() {
    failures = 0;
  }
}
