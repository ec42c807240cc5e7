package org.haochaping.gateway.timers;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.policy.TimerKind;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due timers and relays the events they produced. Called by the {@code lifecycle-timers} route
 * every {@code hcp.lifecycle.pollMillis}; any number of pollers may run at once, in one node or many,
 * against one database: each batch is one transaction that locks its rows with SKIP LOCKED, fires
 * them and ends them, so a timer fires once. A batch that fails is rolled back and its timers stay
 * pending for the next poll; the effects of firing are idempotent (events by id, default ratings by
 * natural key), so a batch repeated after a crash publishes nothing twice.
 */
public final class TimerPoller {

  private static final Logger LOG = LoggerFactory.getLogger(TimerPoller.class);

  /** Caps the work of one poll so that one call never runs for long. */
  static final int MAX_BATCHES_PER_POLL = 50;

  /** A timer that cannot fire now (e.g. the broker is away) is tried again after this. */
  static final Duration RETRY_AFTER = Duration.ofMinutes(1);

  /** What firing one timer came to. */
  public record Fired(TimerStore.State state, String outcome) {
    public static Fired fired(String outcome) {
      return new Fired(TimerStore.State.FIRED, outcome);
    }

    public static Fired cancelled(String outcome) {
      return new Fired(TimerStore.State.CANCELLED, outcome);
    }

    /** Not now: stays pending and is tried again after {@link #RETRY_AFTER}. */
    public static Fired retry(String why) {
      return new Fired(TimerStore.State.PENDING, why);
    }
  }

  /** Fires the due timers of one kind inside the poller's transaction. */
  public interface Handler {
    /** One result per timer, in order. A thrown exception rolls the whole batch back. */
    List<Fired> fire(Connection c, List<TimerStore.Timer> due) throws Exception;
  }

  private final TimerStore store;
  private final LifecycleOutbox outbox;
  private final Map<TimerKind, Handler> handlers = new EnumMap<>(TimerKind.class);
  private final Clock clock;
  private final int batchSize;
  private final MeterRegistry meters;

  public TimerPoller(TimerStore store, LifecycleOutbox outbox, Clock clock, int batchSize, MeterRegistry meters) {
    this.store = store;
    this.outbox = outbox;
    this.clock = clock;
    this.batchSize = batchSize;
    this.meters = meters;
  }

  public TimerPoller handle(TimerKind kind, Handler handler) {
    handlers.put(kind, handler);
    return this;
  }

  /** Fires what is due now and relays the outbox; returns how many timers ended (fired or cancelled). */
  public int poll() {
    int ended = 0;
    for (int i = 0; i < MAX_BATCHES_PER_POLL; i++) {
      int[] batch = fireBatch();
      ended += batch[1];
      if (batch[0] < batchSize) {
        break;
      }
    }
    relayAll();
    return ended;
  }

  /** Relays every unsent event, a batch at a time. */
  public void relayAll() {
    if (outbox == null) {
      return;
    }
    for (int i = 0; i < MAX_BATCHES_PER_POLL && outbox.relay(500) == 500; i++) {
      // next batch
    }
  }

  /** One transaction: lock, fire, end. Returns {timers locked, timers ended}. */
  int[] fireBatch() {
    try (Connection c = store.database().connection()) {
      c.setAutoCommit(false);
      try {
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<TimerStore.Timer> due = store.lockDue(c, now, batchSize);
        Map<TimerKind, List<TimerStore.Timer>> byKind = new LinkedHashMap<>();
        due.forEach(t -> byKind.computeIfAbsent(t.kind(), k -> new ArrayList<>()).add(t));
        int ended = 0;
        List<String[]> counted = new ArrayList<>();
        for (Map.Entry<TimerKind, List<TimerStore.Timer>> e : byKind.entrySet()) {
          Handler handler = handlers.get(e.getKey());
          List<Fired> results = handler == null
              ? e.getValue().stream().map(t -> Fired.cancelled("no handler for " + t.kind() + " in this gateway")).toList()
              : handler.fire(c, e.getValue());
          for (int i = 0; i < e.getValue().size(); i++) {
            TimerStore.Timer t = e.getValue().get(i);
            Fired f = results.get(i);
            if (f.state() == TimerStore.State.PENDING) {
              store.postpone(c, t, now.plus(RETRY_AFTER), f.outcome());
              LOG.warn("Timer {} {} could not fire, retrying in {}: {}", t.kind(), t.subject(), RETRY_AFTER, f.outcome());
            } else {
              store.close(c, t, f.state(), f.outcome());
              ended++;
            }
            counted.add(new String[] {t.kind().name(), f.state().name()});
          }
        }
        c.commit();
        counted.forEach(k -> meters.counter("hcp.lifecycle.timers", "kind", k[0], "outcome", k[1]).increment());
        return new int[] {due.size(), ended};
      } catch (Exception e) {
        c.rollback();
        if (e instanceof RuntimeException re) {
          throw re;
        }
        throw new StoreException("firing timers failed, they stay pending: " + e.getMessage(), e);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot fire timers", e);
    }
  }
}
