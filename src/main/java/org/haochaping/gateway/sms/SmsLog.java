package org.haochaping.gateway.sms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * The SMS log (table {@code sms_log}, parts in {@code sms_parts}): every SMS with its status, the
 * SMSC message id of every part and the delivery receipts. It is what counts SMS per case against
 * the profile's limits and what a person on call reads. No mobile in clear.
 */
public final class SmsLog {

  /** Where an SMS stands. */
  public enum Status {
    /** In the broker's {@code sms.outbox}, not yet accepted by the SMSC. */
    QUEUED,
    /** Every part has an SMSC message id (submit_sm_resp OK). */
    SUBMITTED,
    /** Every part's receipt says DELIVRD. */
    DELIVERED,
    /** Refused by the SMSC, undeliverable, rejected or deleted by the network, or given up after retries. */
    FAILED,
    /** Not delivered within its validity period. */
    EXPIRED;

    public boolean isFinal() {
      return this == DELIVERED || this == FAILED || this == EXPIRED;
    }
  }

  /** One SMS as logged. */
  public record Entry(String smsId, String caseNo, SmsKind kind, String mobileHash, String sourceAddr, String text,
      int parts, int reference, Status status, String statusDetail, int attempts, OffsetDateTime createdAt,
      OffsetDateTime submittedAt, OffsetDateTime doneAt) {}

  /** A status change that happened (exactly once, on whichever node made it). */
  public record Change(String smsId, SmsKind kind, Status from, Status to, String detail) {}

  private final Database db;
  private final Clock clock;

  public SmsLog(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Logs a queued SMS; false when an SMS with this id is already logged (a replayed trigger). */
  public boolean queue(Entry e) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("insert into sms_log (sms_id, case_no, kind, mobile_hash, source_addr, text, "
            + "parts, reference, status, attempts, created_at) values (?,?,?,?,?,?,?,?,?,0,?) on conflict do nothing")) {
      ps.setString(1, e.smsId());
      ps.setString(2, e.caseNo());
      ps.setString(3, e.kind().name());
      ps.setString(4, e.mobileHash());
      ps.setString(5, e.sourceAddr());
      ps.setString(6, e.text());
      ps.setInt(7, e.parts());
      ps.setInt(8, e.reference());
      ps.setString(9, Status.QUEUED.name());
      SmsSql.setTime(ps, 10, OffsetDateTime.now(clock));
      return ps.executeUpdate() == 1;
    } catch (SQLException ex) {
      throw new StoreException("cannot log SMS " + e.smsId(), ex);
    }
  }

  public Optional<Entry> find(String smsId) {
    List<Entry> found = select("select * from sms_log where sms_id = ?", smsId);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Every SMS of a case, oldest first. */
  public List<Entry> forCase(String caseNo) {
    return select("select * from sms_log where case_no = ? order by created_at, sms_id", caseNo);
  }

  /** SMS of these kinds logged for the case, whatever became of them (a queued one counts). */
  public int countForCase(String caseNo, Collection<SmsKind> kinds) {
    return forCase(caseNo).stream().filter(e -> kinds.contains(e.kind())).mapToInt(e -> 1).sum();
  }

  /** SMS of these kinds sent to the number since {@code since}. */
  public int countForMobile(String mobileHash, Collection<SmsKind> kinds, OffsetDateTime since) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select kind from sms_log where mobile_hash = ? and created_at >= ?")) {
      ps.setString(1, mobileHash);
      SmsSql.setTime(ps, 2, since);
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          n += kinds.contains(SmsKind.valueOf(rs.getString(1))) ? 1 : 0;
        }
      }
      return n;
    } catch (SQLException e) {
      throw new StoreException("cannot count SMS", e);
    }
  }

  /** The parts (sequence numbers) the SMSC already accepted: a redelivered SMS sends only the rest. */
  public Set<Integer> acceptedParts(String smsId) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select seq from sms_parts where sms_id = ? and submitted_at is not null")) {
      ps.setString(1, smsId);
      Set<Integer> seqs = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getInt(1));
        }
      }
      return seqs;
    } catch (SQLException e) {
      throw new StoreException("cannot read SMS parts of " + smsId, e);
    }
  }

  /** Counts one more delivery attempt; returns the count. */
  public int attempt(String smsId) {
    try (Connection c = db.connection()) {
      try (PreparedStatement ps = c.prepareStatement("update sms_log set attempts = attempts + 1 where sms_id = ?")) {
        ps.setString(1, smsId);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("select attempts from sms_log where sms_id = ?")) {
        ps.setString(1, smsId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getInt(1) : 0;
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot count an attempt of SMS " + smsId, e);
    }
  }

  /** The SMSC accepted part {@code seq} of the SMS as {@code messageId}. */
  public void partAccepted(String smsId, int seq, String messageId) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    try (Connection c = db.connection()) {
      int inserted;
      try (PreparedStatement ps = c.prepareStatement(
          "insert into sms_parts (message_id, sms_id, seq, submitted_at) values (?,?,?,?) on conflict do nothing")) {
        ps.setString(1, messageId);
        ps.setString(2, smsId);
        ps.setInt(3, seq);
        SmsSql.setTime(ps, 4, now);
        inserted = ps.executeUpdate();
      }
      if (inserted == 0) {
        // its receipt came first
        try (PreparedStatement ps = c.prepareStatement("update sms_parts set sms_id = ?, seq = ?, submitted_at = ? where message_id = ?")) {
          ps.setString(1, smsId);
          ps.setInt(2, seq);
          SmsSql.setTime(ps, 3, now);
          ps.setString(4, messageId);
          ps.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record SMSC message id of SMS " + smsId, e);
    }
  }

  /** Every part is accepted: QUEUED -> SUBMITTED, then whatever receipts already arrived settle it. */
  public List<Change> submitted(String smsId) {
    List<Change> changes = new ArrayList<>();
    Entry e = find(smsId).orElse(null);
    if (e == null) {
      return changes;
    }
    if (update("update sms_log set status = ?, submitted_at = ? where sms_id = ? and status = ?", Status.SUBMITTED, null, smsId,
        Status.QUEUED)) {
      changes.add(new Change(smsId, e.kind(), Status.QUEUED, Status.SUBMITTED, null));
    }
    settle(smsId).ifPresent(changes::add);
    return changes;
  }

  /** The SMS will not be sent: refused by the SMSC, or given up after retries. */
  public Optional<Change> failed(String smsId, String detail) {
    Entry e = find(smsId).orElse(null);
    if (e == null || e.status().isFinal()) {
      return Optional.empty();
    }
    String d = detail.length() > 200 ? detail.substring(0, 200) : detail;
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("update sms_log set status = ?, status_detail = ?, done_at = ? where sms_id = ? "
            + "and status in ('QUEUED', 'SUBMITTED')")) {
      ps.setString(1, Status.FAILED.name());
      ps.setString(2, d);
      SmsSql.setTime(ps, 3, OffsetDateTime.now(clock));
      ps.setString(4, smsId);
      return ps.executeUpdate() == 1 ? Optional.of(new Change(smsId, e.kind(), e.status(), Status.FAILED, d)) : Optional.empty();
    } catch (SQLException ex) {
      throw new StoreException("cannot mark SMS " + smsId + " failed", ex);
    }
  }

  /**
   * A delivery receipt for {@code messageId}: recorded on its part (or waiting for it, when the
   * receipt overtook the gateway's own record of the id), then the SMS settles if it can.
   */
  public Optional<Change> receipt(String messageId, String state, String error) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    String smsId;
    try (Connection c = db.connection()) {
      int inserted;
      try (PreparedStatement ps = c.prepareStatement(
          "insert into sms_parts (message_id, receipt_state, receipt_error, receipt_at) values (?,?,?,?) on conflict do nothing")) {
        ps.setString(1, messageId);
        ps.setString(2, state);
        ps.setString(3, error);
        SmsSql.setTime(ps, 4, now);
        inserted = ps.executeUpdate();
      }
      if (inserted == 0) {
        try (PreparedStatement ps = c.prepareStatement(
            "update sms_parts set receipt_state = ?, receipt_error = ?, receipt_at = ? where message_id = ?")) {
          ps.setString(1, state);
          ps.setString(2, error);
          SmsSql.setTime(ps, 3, now);
          ps.setString(4, messageId);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("select sms_id from sms_parts where message_id = ?")) {
        ps.setString(1, messageId);
        try (ResultSet rs = ps.executeQuery()) {
          smsId = rs.next() ? rs.getString(1) : null;
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record the receipt of " + messageId, e);
    }
    return smsId == null ? Optional.empty() : settle(smsId);
  }

  /** SUBMITTED -> DELIVERED / FAILED / EXPIRED once the receipts decide it; at most once. */
  Optional<Change> settle(String smsId) {
    Entry e = find(smsId).orElse(null);
    if (e == null || e.status() != Status.SUBMITTED) {
      return Optional.empty();
    }
    Map<Integer, String> bestBySeq = new HashMap<>();
    Map<Integer, String> errorBySeq = new HashMap<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select seq, receipt_state, receipt_error from sms_parts where sms_id = ?")) {
      ps.setString(1, smsId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String st = rs.getString(2);
          if (st == null) {
            continue;
          }
          int seq = rs.getInt(1);
          // a part sent twice (redelivery after a lost response) is delivered if either copy is
          if (!"DELIVRD".equals(bestBySeq.get(seq))) {
            bestBySeq.put(seq, st);
            errorBySeq.put(seq, rs.getString(3));
          }
        }
      }
    } catch (SQLException ex) {
      throw new StoreException("cannot read receipts of SMS " + smsId, ex);
    }
    Status to = null;
    String detail = null;
    for (Map.Entry<Integer, String> r : bestBySeq.entrySet()) {
      Status s = ReceiptStates.statusOf(r.getValue());
      if (s == Status.FAILED || s == Status.EXPIRED) {
        to = s;
        detail = "part " + r.getKey() + ": " + r.getValue() + " err:" + errorBySeq.get(r.getKey());
        break;
      }
    }
    if (to == null) {
      boolean all = true;
      for (int seq = 1; seq <= e.parts(); seq++) {
        all &= ReceiptStates.statusOf(bestBySeq.get(seq)) == Status.DELIVERED;
      }
      if (!all) {
        return Optional.empty();
      }
      to = Status.DELIVERED;
    }
    if (update("update sms_log set status = ?, done_at = ?, status_detail = ? where sms_id = ? and status = ?", to, detail, smsId,
        Status.SUBMITTED)) {
      return Optional.of(new Change(smsId, e.kind(), Status.SUBMITTED, to, detail));
    }
    return Optional.empty();
  }

  private boolean update(String sql, Status to, String detail, String smsId, Status from) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, to.name());
      SmsSql.setTime(ps, 2, OffsetDateTime.now(clock));
      if (sql.contains("status_detail")) {
        ps.setString(3, detail);
        ps.setString(4, smsId);
        ps.setString(5, from.name());
      } else {
        ps.setString(3, smsId);
        ps.setString(4, from.name());
      }
      return ps.executeUpdate() == 1;
    } catch (SQLException ex) {
      throw new StoreException("cannot update SMS " + smsId, ex);
    }
  }

  private List<Entry> select(String sql, String arg) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      List<Entry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Entry(rs.getString("sms_id"), rs.getString("case_no"), SmsKind.valueOf(rs.getString("kind")),
              rs.getString("mobile_hash"), rs.getString("source_addr"), rs.getString("text"), rs.getInt("parts"),
              rs.getInt("reference"), Status.valueOf(rs.getString("status")), rs.getString("status_detail"),
              rs.getInt("attempts"), SmsSql.time(rs, "created_at"), SmsSql.time(rs, "submitted_at"),
              SmsSql.time(rs, "done_at")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read the SMS log", e);
    }
  }
}
