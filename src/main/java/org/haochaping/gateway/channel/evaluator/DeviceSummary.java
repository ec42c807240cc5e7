package org.haochaping.gateway.channel.evaluator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device counts for the health check and the gauges, read from the registry at most every few
 * seconds (Prometheus and load balancers ask often; the table is shared by every node).
 */
public final class DeviceSummary {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceSummary.class);
  static final Duration FRESH = Duration.ofSeconds(5);
  static final int LIST_AT_MOST = 20;

  private record Taken(DeviceRegistry.Summary summary, Instant at) {}

  private final DeviceRegistry registry;
  private final Clock clock;
  private volatile Taken taken;

  public DeviceSummary(DeviceRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** The counts, at most a few seconds old; empty when the registry cannot be read. */
  public Optional<DeviceRegistry.Summary> current() {
    Taken t = taken;
    Instant now = clock.instant();
    if (t != null && t.at().plus(FRESH).isAfter(now)) {
      return Optional.of(t.summary());
    }
    try {
      DeviceRegistry.Summary s = registry.summary(LIST_AT_MOST);
      taken = new Taken(s, now);
      return Optional.of(s);
    } catch (RuntimeException e) {
      LOG.debug("evaluator counts unavailable: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** Something changed (a status, a registration): the next read goes to the registry. */
  public void invalidate() {
    taken = null;
  }
}
