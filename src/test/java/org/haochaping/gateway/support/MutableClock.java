package org.haochaping.gateway.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.haochaping.gateway.model.ChinaTime;

/** A clock a test moves by hand (GatewayTestSupport.gatewayClock) so that the gateway runs days in seconds. */
public final class MutableClock extends Clock {

  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public void advance(Duration by) {
    now = now.plus(by);
  }

  public void set(Instant to) {
    now = to;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ChinaTime.ZONE;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
