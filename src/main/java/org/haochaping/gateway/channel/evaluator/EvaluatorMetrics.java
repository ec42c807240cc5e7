package org.haochaping.gateway.channel.evaluator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Prometheus reads about evaluators: {@code hcp_evaluators_online} and
 * {@code hcp_evaluators_offline} (enabled devices by their last status), prompts by outcome, acks
 * by outcome. Ratings themselves are counted with every channel's (channel="EVALUATOR").
 */
public final class EvaluatorMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public EvaluatorMetrics(MeterRegistry registry, DeviceSummary summary) {
    this.registry = registry;
    Gauge.builder("hcp.evaluators.online", summary, s -> s.current().map(x -> (double) x.online()).orElse(Double.NaN))
        .description("Enabled window evaluators whose last status is online")
        .register(registry);
    Gauge.builder("hcp.evaluators.offline", summary,
            s -> s.current().map(x -> (double) (x.enabled() - x.online())).orElse(Double.NaN))
        .description("Enabled window evaluators whose last status is offline (or never seen)")
        .register(registry);
  }

  /** A case event was looked at for a prompt: prompted, no_device, not_window, stale, not_completion. */
  public void prompt(String outcome) {
    counter("hcp.evaluator.prompts", "outcome", outcome).increment();
  }

  /** An ack went to a device: accepted, replayed, refused, retry. */
  public void acked(String outcome) {
    counter("hcp.evaluator.acks", "outcome", outcome).increment();
  }

  private Counter counter(String name, String... tags) {
    return counters.computeIfAbsent(name + String.join("|", tags), k -> Counter.builder(name).tags(tags).register(registry));
  }
}
