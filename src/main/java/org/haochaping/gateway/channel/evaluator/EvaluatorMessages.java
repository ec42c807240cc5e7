package org.haochaping.gateway.channel.evaluator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.GroupCommit;
import org.haochaping.gateway.store.StoreException;

/**
 * What the gateway answered to each rating message of each device, by msgId (table
 * {@code evaluator_messages}): a device that sends the same msgId again — because the ack was lost
 * — gets the same ack, not a second rating. Answers the device may improve on by retrying (the
 * gateway could not store the rating just then) are not kept.
 *
 * <p>Answers arriving at the same time are written in one transaction ({@link GroupCommit}): each
 * rating already costs a commit for its idempotency key, and commits are what the database
 * serialises.
 */
public final class EvaluatorMessages implements AutoCloseable {

  /** One answer to keep, and, once written, the answer that holds. */
  private static final class Answer {
    final String deviceId;
    final String msgId;
    final String ratingId;
    final String ack;
    volatile String holds;

    Answer(String deviceId, String msgId, String ratingId, String ack) {
      this.deviceId = deviceId;
      this.msgId = msgId;
      this.ratingId = ratingId;
      this.ack = ack;
    }
  }

  private final Database db;
  private final Clock clock;
  private final Duration keep;
  private final GroupCommit<Answer, Void> writer;

  /** @param keep how long answers are kept: a device retries within minutes, not weeks */
  public EvaluatorMessages(Database db, Clock clock, Duration keep) {
    this.db = db;
    this.clock = clock;
    this.keep = keep;
    this.writer = new GroupCommit<>("hcp-evaluator-answers", 256, answers -> {
      write(answers);
      return null;
    });
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
   * once); returns the ack that holds, which is the one to send. Returns once it is committed.
   */
  public String remember(String deviceId, String msgId, String ratingId, String ack) {
    Answer a = new Answer(deviceId, msgId, ratingId, ack);
    try {
      writer.write(a);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while keeping the answer to " + deviceId + "/" + msgId, e);
    }
    return a.holds;
  }

  private void write(List<Answer> answers) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        int[] added;
        try (PreparedStatement ps = c.prepareStatement("insert into evaluator_messages (device_id, msg_id, rating_id, ack, created_at) "
            + "values (?,?,?,?,?) on conflict do nothing")) {
          OffsetDateTime now = OffsetDateTime.now(clock);
          for (Answer a : answers) {
            ps.setString(1, a.deviceId);
            ps.setString(2, a.msgId);
            ps.setString(3, a.ratingId);
            ps.setString(4, a.ack);
            ps.setObject(5, now);
            ps.addBatch();
          }
          added = ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("select ack from evaluator_messages where device_id = ? and msg_id = ?")) {
          for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            a.holds = a.ack;
            if (added[i] != 1) {
              // Kept already (the same msgId twice in this batch, or by another node): that answer holds.
              ps.setString(1, a.deviceId);
              ps.setString(2, a.msgId);
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  a.holds = rs.getString(1);
                }
              }
            }
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot keep evaluator answers", e);
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

  @Override
  public void close() {
    writer.close();
  }
}
