package org.haochaping.gateway.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counters and latency of rating intake, per channel, as Prometheus reads them. */
public final class IngestMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void received(String channel) {
    counter("hcp.ratings.received", "channel", channel).increment();
  }

  public void accepted(String channel, boolean replay) {
    counter("hcp.ratings.accepted", "channel", channel, "replay", Boolean.toString(replay)).increment();
  }

  public void rejected(String channel, String reason) {
    counter("hcp.ratings.rejected", "channel", channel, "reason", reason).increment();
  }

  public void casePushed(String outcome) {
    counter("hcp.cases.pushed", "outcome", outcome).increment();
  }

  public void recorded(int count) {
    counter("hcp.ledger.recorded").increment(count);
  }

  /** Time from the request arriving to the rating being durable (or refused). */
  public void latency(String channel, Duration d) {
    timers.computeIfAbsent(channel, c -> Timer.builder("hcp.ratings.intake.latency")
        .description("Time to validate and durably accept a rating")
        .tag("channel", c)
        .publishPercentileHistogram()
        .register(registry)).record(d);
  }

  private Counter counter(String name, String... tags) {
    String key = name + String.join("|", tags);
    return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
  }
}
