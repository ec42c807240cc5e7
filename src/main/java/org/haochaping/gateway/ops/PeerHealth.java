package org.haochaping.gateway.ops;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The state of a far peer (the province, the SMSC, the MQTT connections) in {@code /observe/health}
 * and the console. A far peer that is away must not take the gateway out of the load balancer
 * (ratings still arrive and wait durably in their queues), so its Camel check stays UP for
 * readiness; the check then carries {@code degraded=true} and a {@code reason}, and the health JSON
 * and the console show it as {@code DEGRADED} (red on the console).
 */
public final class PeerHealth {

  /** The state shown for a peer check that is UP for readiness but whose peer is away. */
  public static final String DEGRADED = "DEGRADED";
  static final String DETAIL = "degraded";

  private PeerHealth() {}

  /** Marks the result degraded with the reason an on-call person reads first. */
  public static void degraded(HealthCheckResultBuilder builder, String reason) {
    builder.detail(DETAIL, true);
    builder.detail("reason", reason == null || reason.isBlank() ? "unknown" : reason);
  }

  /** UP, DOWN, UNKNOWN, or DEGRADED for an UP check that marked itself degraded. */
  public static String state(HealthCheck.Result r) {
    if (r.getState() == HealthCheck.State.UP && Boolean.TRUE.equals(r.getDetails().get(DETAIL))) {
      return DEGRADED;
    }
    return r.getState().name();
  }
}
