package org.haochaping.gateway.channel.evaluator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * What the gateway answered to each rating message of each device, by msgId (table
 * {@code evaluator_messages}): a device that sends the same msgId again — because the ack was lost
 * — gets the same ack, not a second rating. Answers the device may improve on by retrying (the
 * gateway could not store the rating just then) are not kept.
 */
public final class EvaluatorMessages {

  private final Database db;
  private final Clock clock;
  private final Duration keep;

  /** @param keep how long answers are kept: a device retries within minutes, not weeks */
  public EvaluatorMessages(Database db, Clock clock, Duration keep) {
    this.db = db;
    this.clock = clock;
    this.keep = keep;
  }

  /** The ack given earlier to this device's msgId, as sent (JSON). */
  public Optional<String> answered(String deviceId, String msgId) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select ack from evaluator_messages where device_id = ? and msg_id = ?")) {
      ps.setString(1, deviceId);
      ps.setString(2, msgId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the answer to " + deviceId + "/" + msgId, e);
    }
  }

  /**
   * Keeps the ack for this msgId unless one is kept already (two nodes answering the same retry at
   * once); returns the ack that holds, which is the one to send.
   */
  public String remember(String deviceId, String msgId, String ratingId, String ack) {
    try (Connection c = db.connection()) {
      try (PreparedStatement ps = c.prepareStatement("insert into evaluator_messages (device_id, msg_id, rating_id, ack, created_at) "
          + "values (?,?,?,?,?) on conflict do nothing")) {
        ps.setString(1, deviceId);
        ps.setString(2, msgId);
        ps.setString(3, ratingId);
        ps.setString(4, ack);
        ps.setObject(5, OffsetDateTime.now(clock));
        if (ps.executeUpdate() == 1) {
          return ack;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("select ack from evaluator_messages where device_id = ? and msg_id = ?")) {
        ps.setString(1, deviceId);
        ps.setString(2, msgId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : ack;
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot keep the answer to " + deviceId + "/" + msgId, e);
    }
  }

  /** Forgets answers older than the retention. Returns how many. */
  public int purge() {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("delete from evaluator_messages where created_at < ?")) {
      ps.setObject(1, OffsetDateTime.now(clock).minus(keep));
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot purge evaluator answers", e);
    }
  }
}
