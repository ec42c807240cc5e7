package org.haochaping.gateway.province;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Forwarding as Prometheus reads it: records by outcome, calls by result, batch sizes, the breaker. */
final class ForwardingMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final DistributionSummary batch;

  ForwardingMetrics(MeterRegistry registry, CircuitBreaker breaker) {
    this.registry = registry;
    this.batch = DistributionSummary.builder("hcp.province.batch.records")
        .description("Records per request to the province").register(registry);
    Gauge.builder("hcp.province.breaker.open", breaker, b -> b.state() == CircuitBreaker.State.CLOSED ? 0 : 1)
        .description("1 while the circuit breaker keeps calls away from the province").register(registry);
    Gauge.builder("hcp.province.breaker.opened", breaker, CircuitBreaker::timesOpened)
        .description("Times the circuit breaker opened since start").register(registry);
  }

  /**
   * One rating decided, per channel: {@code hcp_province_ratings_total{channel,outcome}}; a refusal
   * also counts under the province's code in {@code hcp_province_rejections_total{channel,code}}.
   */
  void rating(String channel, String outcome, String code) {
    counter("hcp.province.ratings", "channel", channel, "outcome", outcome).increment();
    if (!"FORWARDED".equals(outcome)) {
      counter("hcp.province.rejections", "channel", channel, "code", code == null || code.isBlank() ? "none" : code).increment();
    }
  }

  /** One record decided: kind evaluation|case, outcome FORWARDED|REJECTED_BY_PROVINCE|DEAD_LETTER|RETRY. */
  void record(String kind, String outcome, int count) {
    if (count > 0) {
      counter("hcp.province.records", "kind", kind, "outcome", outcome).increment(count);
    }
  }

  void call(String kind, boolean ok, int records, Duration took) {
    counter("hcp.province.calls", "kind", kind, "result", ok ? "ok" : "failed").increment();
    timers.computeIfAbsent(kind + ok, k -> Timer.builder("hcp.province.call.latency").tag("kind", kind)
        .tag("result", ok ? "ok" : "failed").publishPercentileHistogram().register(registry)).record(took);
    if (ok) {
      batch.record(records);
    }
  }

  private Counter counter(String name, String... tags) {
    return counters.computeIfAbsent(name + String.join("|", tags), k -> Counter.builder(name).tags(tags).register(registry));
  }
}
