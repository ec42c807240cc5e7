package org.haochaping.gateway.channel.evaluator;

import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.haochaping.gateway.ops.PeerHealth;

/**
 * {@code evaluators} in {@code /observe/health}: how many window evaluators are registered, enabled,
 * online, which are offline, and how the gateway's own MQTT connections stand. Always UP: a tablet
 * switched off at a window, or the MQTT broker itself being away, must not take the gateway out of
 * the load balancer — every other channel still works. The details say what is wrong.
 */
public final class EvaluatorHealthCheck extends AbstractHealthCheck {

  private final DeviceSummary summary;
  private final String broker;
  private final List<GatewayMqttClient> clients;

  public EvaluatorHealthCheck(DeviceSummary summary, String broker, List<GatewayMqttClient> clients) {
    super("hcp", "evaluators");
    this.summary = summary;
    this.broker = broker;
    this.clients = clients;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    builder.detail("mqtt.broker", broker);
    StringBuilder problems = new StringBuilder();
    for (GatewayMqttClient c : clients) {
      builder.detail("mqtt." + c.name(), c.state().name() + (c.problem() == null ? "" : ": " + c.problem()));
      if (!c.ready()) {
        problems.append(problems.length() == 0 ? "" : "; ").append("MQTT ").append(c.name()).append(' ').append(c.state());
      }
    }
    if (problems.length() > 0) {
      // the gateway's own MQTT connection is down: no evaluator can rate (a single tablet offline is not this)
      PeerHealth.degraded(builder, problems.toString());
    }
    summary.current().ifPresentOrElse(s -> {
      builder.detail("devices.registered", s.registered());
      builder.detail("devices.enabled", s.enabled());
      builder.detail("devices.online", s.online());
      builder.detail("devices.offline", s.enabled() - s.online());
      if (!s.offline().isEmpty()) {
        builder.detail("devices.offline.ids", String.join(",", s.offline())
            + (s.enabled() - s.online() > s.offline().size() ? ",..." : ""));
      }
    }, () -> problems.append(problems.length() == 0 ? "" : "; ").append("device registry unavailable"));
    if (problems.length() > 0) {
      builder.message(problems.toString());
    }
    builder.up();
  }
}
