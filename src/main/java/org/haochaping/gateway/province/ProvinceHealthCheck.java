package org.haochaping.gateway.province;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.haochaping.gateway.ops.PeerHealth;

/**
 * Forwarding at a glance for the person on call: where ratings go, whether the circuit breaker
 * keeps calls away, when the province last answered and last failed (and why), how many ratings
 * wait and how many are dead-lettered. UP for readiness: a province that is down pauses forwarding
 * but must not stop the gateway from accepting ratings; while the breaker is not closed the check
 * is {@link PeerHealth#DEGRADED} with the last failure as its reason.
 */
final class ProvinceHealthCheck extends AbstractHealthCheck {

  private final ProvinceForwarder forwarder;
  private final ForwardingStore store;
  private final String target;

  ProvinceHealthCheck(ProvinceForwarder forwarder, ForwardingStore store, String target) {
    super("hcp", "province");
    this.forwarder = forwarder;
    this.store = store;
    this.target = target;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    CircuitBreaker.State state = forwarder.breaker().state();
    builder.detail("province", target);
    builder.detail("envelope", forwarder.connector().envelopeKind());
    builder.detail("breaker", state.name());
    builder.detail("breaker.opened", forwarder.breaker().timesOpened());
    builder.detail("waiting", forwarder.waiting());
    try {
      builder.detail("deadLetters", store.deadLetterCount());
    } catch (RuntimeException e) {
      builder.detail("deadLetters", "unknown: " + e.getMessage());
    }
    if (forwarder.lastSuccessAt() != null) {
      builder.detail("lastSuccessAt", forwarder.lastSuccessAt().toString());
    }
    if (!forwarder.lastFailure().isEmpty()) {
      builder.detail("lastFailure", forwarder.lastFailure());
      builder.detail("lastFailureAt", String.valueOf(forwarder.lastFailureAt()));
    }
    if (state != CircuitBreaker.State.CLOSED) {
      builder.message("省平台不可达，转发暂停，评价照常接收 / province unreachable: forwarding paused, ratings still accepted");
      PeerHealth.degraded(builder, "breaker " + state + ": " + forwarder.lastFailure());
    }
    builder.up();
  }
}
