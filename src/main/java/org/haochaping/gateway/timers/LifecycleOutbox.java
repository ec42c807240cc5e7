package org.haochaping.gateway.timers;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.broker.DurablePublisher;
import org.haochaping.gateway.model.LifecycleEvent;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * Lifecycle events are written to {@code lifecycle_outbox} in the same transaction as the change they
 * report (a timer fired, a work order moved), and relayed to the multicast address
 * {@code lifecycle-events} afterwards. A change is never published without being committed, nor
 * committed without being published: the relay retries until the broker has the event, and the
 * event id is the broker's duplicate-detection id, so a relay that dies after sending and before
 * marking sends nothing twice to consumers.
 */
public final class LifecycleOutbox {

  /** The multicast address of lifecycle events; each consumer declares its own queue on it. */
  public static final String ADDRESS = "lifecycle-events";

  /** Sent rows are kept this long for people to look at, then removed. */
  static final Duration KEEP_SENT = Duration.ofDays(30);

  private final Database db;
  private final DurablePublisher publisher;
  private final Clock clock;
  private final Duration sendTimeout;
  private final MeterRegistry meters;

  public LifecycleOutbox(Database db, DurablePublisher publisher, Clock clock, Duration sendTimeout, MeterRegistry meters) {
    this.db = db;
    this.publisher = publisher;
    this.clock = clock;
    this.sendTimeout = sendTimeout;
    this.meters = meters;
  }

  /** Records {@code event} in the caller's transaction; an event with the same id is recorded once. */
  public void add(Connection c, LifecycleEvent event) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("insert into lifecycle_outbox (event_id, type, case_no, body, created_at) "
        + "values (?,?,?,?,?) on conflict do nothing")) {
      ps.setString(1, event.eventId());
      ps.setString(2, event.type());
      ps.setString(3, event.caseNo());
      ps.setString(4, Json.text(event));
      ps.setObject(5, OffsetDateTime.now(clock));
      ps.executeUpdate();
    }
  }

  /** An event stamped now, with a stable id made of its type and subject. */
  public LifecycleEvent event(String type, String subject, String caseNo, Map<String, Object> data) {
    return new LifecycleEvent(type + ":" + subject, type, caseNo, OffsetDateTime.now(clock), data);
  }

  /**
   * Publishes up to {@code limit} unsent events, oldest first, and marks them sent once the broker
   * holds every one. Rows another node is relaying are skipped. Returns how many were sent.
   */
  public int relay(int limit) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        List<String> types = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select event_id, type, case_no, body from lifecycle_outbox "
            + "where sent_at is null order by created_at, event_id limit ? for update skip locked")) {
          ps.setInt(1, limit);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String id = rs.getString("event_id");
              String type = rs.getString("type");
              String caseNo = rs.getString("case_no");
              ids.add(id);
              types.add(type);
              sends.add(publisher.publish(ADDRESS, rs.getString("body").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  "lifecycle:" + id, caseNo == null ? Map.of("type", type) : Map.of("type", type, "caseNo", caseNo)));
            }
          }
        }
        for (CompletableFuture<Void> send : sends) {
          send.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        try (PreparedStatement ps = c.prepareStatement("update lifecycle_outbox set sent_at = ? where event_id = ?")) {
          for (String id : ids) {
            ps.setObject(1, now);
            ps.setString(2, id);
            ps.addBatch();
          }
          if (!ids.isEmpty()) {
            ps.executeBatch();
          }
        }
        try (PreparedStatement ps = c.prepareStatement("delete from lifecycle_outbox where sent_at < ?")) {
          ps.setObject(1, now.minus(KEEP_SENT));
          ps.executeUpdate();
        }
        c.commit();
        types.forEach(t -> meters.counter("hcp.lifecycle.events.published", "type", t).increment());
        return ids.size();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } catch (InterruptedException e) {
        c.rollback();
        Thread.currentThread().interrupt();
        return 0;
      } catch (ExecutionException | TimeoutException e) {
        c.rollback();
        throw new StoreException("broker did not take lifecycle events, will retry: " + e, e);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot relay lifecycle events", e);
    }
  }

  /** Events not yet on the broker; for health details and tests. */
  public long unsent() {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select count(*) from lifecycle_outbox where sent_at is null");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("cannot count unsent lifecycle events", e);
    }
  }
}
