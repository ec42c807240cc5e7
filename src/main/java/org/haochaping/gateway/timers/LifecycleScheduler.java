package org.haochaping.gateway.timers;

import java.sql.Connection;
import java.sql.SQLException;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.CaseEvent;
import org.haochaping.gateway.policy.LifecyclePolicy;
import org.haochaping.gateway.store.StoreException;

/**
 * The {@code lifecycle.cases} consumer of {@code case-events}: a completed case (Guangxi: also an
 * accepted one) starts its reminder and default-rating timers. Redelivered events start nothing twice.
 */
public final class LifecycleScheduler {

  private final LifecyclePolicy policy;
  private final TimerStore timers;

  public LifecycleScheduler(LifecyclePolicy policy, TimerStore timers) {
    this.policy = policy;
    this.timers = timers;
  }

  /** Returns once the timers are committed; throws (and the broker redelivers) when they cannot be. */
  public void onCaseEvent(byte[] body) {
    CaseEvent event = Json.read(body, CaseEvent.class);
    var starts = policy.onCaseEvent(event);
    if (starts.isEmpty()) {
      return;
    }
    try (Connection c = timers.database().connection()) {
      c.setAutoCommit(false);
      try {
        for (LifecyclePolicy.TimerStart t : starts) {
          timers.schedule(c, new TimerStore.Timer(t.kind(), t.subject(), t.caseNo(), t.dueAt(), event.at().toString()));
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot start the timers of case " + event.caseNo(), e);
    }
  }
}
