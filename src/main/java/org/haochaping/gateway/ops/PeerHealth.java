package org.haochaping.gateway.ops;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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

  /** UP, DOWN, UNKNOWN, or DEGRADED for an UP check that marked itself degraded or a suspended route. */
  public static String state(HealthCheck.Result r) {
    if (suspendedRoute(r) || r.getState() == HealthCheck.State.UP && Boolean.TRUE.equals(r.getDetails().get(DETAIL))) {
      return DEGRADED;
    }
    return r.getState().name();
  }

  /** Whether the check lets the gateway count as ready (or live). */
  public static boolean up(HealthCheck.Result r) {
    return r.getState() == HealthCheck.State.UP || suspendedRoute(r);
  }

  public static boolean allUp(Collection<HealthCheck.Result> results) {
    return results.stream().allMatch(PeerHealth::up);
  }

  /** The message a person reads first, if any. */
  public static Optional<String> message(HealthCheck.Result r) {
    if (suspendedRoute(r)) {
      return Optional.of("路由已被暂停，待恢复 / route suspended by an operator: resume it on the console or "
          + "POST /api/v1/admin/routes/" + r.getDetails().get("route.id") + "/resume");
    }
    return r.getMessage();
  }

  /** The details without Camel's bookkeeping (invocation counts, success times: noise on call). */
  public static Map<String, String> details(HealthCheck.Result r) {
    Map<String, String> details = new LinkedHashMap<>();
    r.getDetails().forEach((k, v) -> {
      if (!k.startsWith("invocation.") && !k.startsWith("success.") && !k.startsWith("failure.") && !k.startsWith("check.")) {
        details.put(k, String.valueOf(v));
      }
    });
    if (suspendedRoute(r)) {
      details.put(DETAIL, "true");
      details.put("reason", "suspended by an operator");
    }
    return details;
  }

  /**
   * A route an operator suspended (admin API, console) is a decision, not a failure: what it takes
   * in waits durably in its queue, so the node stays ready and the route shows DEGRADED with the
   * reason until someone resumes it. A route that failed or stopped otherwise stays DOWN.
   */
  private static boolean suspendedRoute(HealthCheck.Result r) {
    return r.getCheck().getId().startsWith("route:") && "Suspended".equals(String.valueOf(r.getDetails().get("route.status")));
  }
}
