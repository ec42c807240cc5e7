package org.haochaping.gateway.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.haochaping.gateway.model.ChinaTime;

/**
 * A clock for tests that runs like a real one from a chosen instant and can jump ahead ("24 hours
 * later"): return it from {@code GatewayTestSupport.gatewayClock()} and the gateway lives by it.
 */
public final class TestClock extends Clock {

  private final long startNanos = System.nanoTime();
  private volatile Instant origin;
  private volatile long originNanos;

  public TestClock(Instant start) {
    set(start);
  }

  /** From now on the clock reads {@code at} (and keeps running from there). */
  public void set(Instant at) {
    origin = at;
    originNanos = System.nanoTime();
  }

  public void advance(Duration d) {
    set(instant().plus(d));
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(System.nanoTime() - originNanos);
  }

  @Override
  public ZoneId getZone() {
    return ChinaTime.ZONE;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    TestClock self = this;
    return new Clock() {
      @Override
      public Instant instant() {
        return self.instant();
      }

      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return self.withZone(other);
      }
    };
  }

  @Override
  public String toString() {
    return "TestClock[" + instant() + ", started " + Duration.ofNanos(System.nanoTime() - startNanos) + " ago]";
  }
}
