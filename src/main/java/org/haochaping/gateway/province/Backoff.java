package org.haochaping.gateway.province;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next call after a transient failure: exponential growth from
 * {@code initial} by {@code multiplier}, capped at {@code max}, with jitter so that many ratings
 * failing together do not all come back at the same instant. With jitter j the wait is uniform in
 * [(1 - j) × d, d] where d is the capped exponential delay.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max, was " + initial + ".." + max);
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException("backoff multiplier must be at least 1, was " + multiplier);
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("backoff jitter must be between 0 and 1, was " + jitter);
    }
  }

  /** The capped exponential delay before retry number {@code retry} (1 = the first retry), without jitter. */
  public Duration ceiling(int retry) {
    double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
    return Duration.ofMillis((long) Math.min(millis, max.toMillis()));
  }

  /** The delay before retry number {@code retry}; {@code random} gives numbers in [0, 1). */
  public Duration delay(int retry, DoubleSupplier random) {
    long ceiling = ceiling(retry).toMillis();
    long floor = (long) (ceiling * (1 - jitter));
    return Duration.ofMillis(floor + (long) (random.getAsDouble() * (ceiling - floor + 1)));
  }
}
