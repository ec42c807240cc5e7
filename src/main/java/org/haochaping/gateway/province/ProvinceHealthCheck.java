package org.haochaping.gateway.province;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.haochaping.gateway.ops.PeerHealth;

/**
 * Forwarding at a glance for the person on call: where ratings go, whether the circuit breaker
 * keeps calls away, when the province last answered and last failed (and why), how many ratings
 * wait and how many are dead-lettered. UP for readiness: a province that is down pauses forwarding
 * but must not stop the gateway from accepting ratings; while the breaker is not closed the check
 * is {@link PeerHealth#DEGRADED} with the last failure as its reason, and so it is while the oldest
 * unforwarded rating has waited longer than the warning (a stuck consumer, not only a far province).
 */
final class ProvinceHealthCheck extends AbstractHealthCheck {

  private final ProvinceForwarder forwarder;
  private final ForwardingStore store;
  private final String target;
  private final Duration backlogWarning;

  /** @param backlogWarning an unforwarded rating older than this makes the check DEGRADED */
  ProvinceHealthCheck(ProvinceForwarder forwarder, ForwardingStore store, String target, Duration backlogWarning) {
    super("hcp", "province");
    this.forwarder = forwarder;
    this.store = store;
    this.target = target;
    this.backlogWarning = backlogWarning;
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
    Optional<Duration> oldest = Optional.empty();
    try {
      oldest = store.oldestUnforwardedAge();
      builder.detail("oldestUnforwardedSeconds", oldest.map(Duration::toSeconds).orElse(0L));
    } catch (RuntimeException e) {
      builder.detail("oldestUnforwardedSeconds", "unknown: " + e.getMessage());
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
    } else if (oldest.isPresent() && oldest.get().compareTo(backlogWarning) > 0) {
      long minutes = oldest.get().toMinutes();
      builder.message("最早一条未转发的评价已等待 " + minutes + " 分钟 / the oldest unforwarded rating has waited "
          + minutes + " min (warning after " + backlogWarning.toMinutes() + " min)");
      PeerHealth.degraded(builder, "oldest unforwarded rating waited " + minutes + " min");
    }
    builder.up();
  }
}
