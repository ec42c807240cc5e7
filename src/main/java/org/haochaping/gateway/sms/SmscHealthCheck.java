package org.haochaping.gateway.sms;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.haochaping.gateway.ops.PeerHealth;

/**
 * Health check {@code smsc}: the bind to the SMSC, its state, since when, binds, drops and the last
 * error. Not readiness-critical: ratings are accepted while the SMSC is away (SMS wait durably in
 * {@code sms.outbox}), so it reports UP for readiness with the bind state in its details and message,
 * and {@link PeerHealth#DEGRADED} (with the last bind error as the reason) while not bound; alert on
 * {@code hcp_sms_bound == 0}.
 */
public final class SmscHealthCheck extends AbstractHealthCheck {

  private final SmscLink link;

  public SmscHealthCheck(SmscLink link) {
    super("hcp", "smsc");
    this.link = link;
  }

  @Override
  public boolean isReadiness() {
    return false;
  }

  /** Shown with the liveness checks (always UP): the gateway lives on while the SMSC is away. */
  @Override
  public boolean isLiveness() {
    return true;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    Map<String, Object> details = link.details();
    builder.details(details);
    builder.message(link.isBound() ? "bound to " + link.description()
        : "not bound to " + link.description() + " (" + link.state() + "); SMS wait in sms.outbox");
    if (!link.isBound()) {
      Object error = details.get("lastError");
      PeerHealth.degraded(builder, "SMPP " + link.state() + (error == null ? "" : ": " + error));
    }
    builder.up();
  }
}
