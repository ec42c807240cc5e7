package org.haochaping.gateway.sms;

import java.nio.charset.StandardCharsets;
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
import java.util.UUID;
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
  public record Entry(String smsId, String smsKey, String caseNo, SmsKind kind, String mobileHash, String sourceAddr, String text,
      int parts, int reference, Status status, String statusDetail, int attempts, OffsetDateTime createdAt,
      OffsetDateTime submittedAt, OffsetDateTime doneAt) {}

  /** A status change that happened (exactly once, on whichever node made it). */
  public record Change(String smsId, SmsKind kind, Status from, Status to, String detail) {}

  /** Every part of an SMS accepted by the SMSC (sequence number -> SMSC message id), at the n-th delivery from the outbox. */
  public record Submission(String smsId, SmsKind kind, Map<Integer, String> messageIds, int attempts) {}

  /** A delivery receipt: the part's SMSC message id, {@code stat:} and {@code err:}. */
  public record Receipt(String messageId, String state, String error) {}

  private final Database db;
  private final Clock clock;

  public SmsLog(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The SMS logged for a trigger: its id, and whether this call logged it (false: a replayed trigger). */
  public record Queued(String smsId, boolean fresh) {}

  /** The stored digest of a trigger key. */
  public static String keyOf(String trigger) {
    return UUID.nameUUIDFromBytes(trigger.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Logs a queued SMS under its key, or answers the SMS already logged under it. */
  public Queued queue(Entry e) {
    try (Connection c = db.connection()) {
      try (PreparedStatement ps = c.prepareStatement("insert into sms_log (sms_id, sms_key, case_no, kind, mobile_hash, source_addr, "
          + "text, parts, reference, status, attempts, created_at) values (?,?,?,?,?,?,?,?,?,?,0,?) on conflict do nothing")) {
        ps.setString(1, e.smsId());
        ps.setString(2, e.smsKey());
        ps.setString(3, e.caseNo());
        ps.setString(4, e.kind().name());
        ps.setString(5, e.mobileHash());
        ps.setString(6, e.sourceAddr());
        ps.setString(7, e.text());
        ps.setInt(8, e.parts());
        ps.setInt(9, e.reference());
        ps.setString(10, Status.QUEUED.name());
        SmsSql.setTime(ps, 11, OffsetDateTime.now(clock));
        if (ps.executeUpdate() == 1) {
          return new Queued(e.smsId(), true);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("select sms_id from sms_log where sms_key = ?")) {
        ps.setString(1, e.smsKey());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new StoreException("SMS " + e.smsKey() + " neither inserted nor found", null);
          }
          return new Queued(rs.getString(1), false);
        }
      }
    } catch (SQLException ex) {
      throw new StoreException("cannot log SMS " + e.smsKey(), ex);
    }
  }

  /** The SMS logged for a trigger key (as given to {@link SmsOutbox.Outgoing}). */
  public Optional<Entry> findByKey(String trigger) {
    List<Entry> found = select("select * from sms_log where sms_key = ?", keyOf(trigger));
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
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

  /**
   * SMS whose every part the SMSC accepted, in one transaction: the parts' message ids are written
   * (receipts find their SMS by them), each SMS goes QUEUED -> SUBMITTED, and an SMS whose receipts
   * overtook this write settles at once. Returns the changes made.
   */
  public List<Change> submitted(List<Submission> submissions) {
    return write(submissions, List.of());
  }

  /** Receipts alone; see {@link #write}. */
  public List<Change> receipts(List<Receipt> receipts) {
    return write(List.of(), receipts);
  }

  /**
   * Submissions and receipts in one transaction (one commit for a batch of many SMS, which is what
   * lets the embedded H2 keep up with the SMSC), submissions first, so that a receipt in the same
   * batch as its submit settles the SMS at once.
   */
  public List<Change> write(List<Submission> submissions, List<Receipt> receipts) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        List<Change> changes = new ArrayList<>();
        if (!submissions.isEmpty()) {
          changes.addAll(submitted(c, submissions, now));
        }
        if (!receipts.isEmpty()) {
          changes.addAll(receipts(c, receipts, now));
        }
        c.commit();
        return changes;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record " + submissions.size() + " submitted SMS and " + receipts.size() + " receipts", e);
    }
  }

  /**
   * Parts of an SMS the SMSC accepted before a later part failed (the bind dropped, a transient
   * refusal): their message ids are kept, so the redelivered SMS sends only the parts still missing
   * and no part reaches the SMSC twice. The SMS stays QUEUED.
   */
  public void partsAccepted(String smsId, Map<Integer, String> messageIds) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        insertParts(c, List.of(new Submission(smsId, null, messageIds, 0)), OffsetDateTime.now(clock));
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record the accepted parts of SMS " + smsId, e);
    }
  }

  /** Writes the parts' message ids; returns the SMS some of whose receipts had come first. */
  private Set<String> insertParts(Connection c, List<Submission> submissions, OffsetDateTime now) throws SQLException {
    Set<String> early = new HashSet<>();
    List<String[]> conflicts = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "insert into sms_parts (message_id, sms_id, seq, submitted_at) values (?,?,?,?) on conflict do nothing")) {
      List<String[]> rows = new ArrayList<>();
      for (Submission sub : submissions) {
        for (Map.Entry<Integer, String> part : sub.messageIds().entrySet()) {
          ps.setString(1, part.getValue());
          ps.setString(2, sub.smsId());
          ps.setInt(3, part.getKey());
          SmsSql.setTime(ps, 4, now);
          ps.addBatch();
          rows.add(new String[] {part.getValue(), sub.smsId(), Integer.toString(part.getKey())});
        }
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          conflicts.add(rows.get(i)); // its receipt came first
        }
      }
    }
    if (!conflicts.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("update sms_parts set sms_id = ?, seq = ?, submitted_at = ? where message_id = ?")) {
        for (String[] row : conflicts) {
          ps.setString(1, row[1]);
          ps.setInt(2, Integer.parseInt(row[2]));
          SmsSql.setTime(ps, 3, now);
          ps.setString(4, row[0]);
          ps.addBatch();
          early.add(row[1]);
        }
        ps.executeBatch();
      }
    }
    return early;
  }

  private List<Change> submitted(Connection c, List<Submission> submissions, OffsetDateTime now) throws SQLException {
    Set<String> early = insertParts(c, submissions, now);
    List<Change> changes = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "update sms_log set status = ?, submitted_at = ?, attempts = ? where sms_id = ? and status = ?")) {
      for (Submission sub : submissions) {
        ps.setString(1, Status.SUBMITTED.name());
        SmsSql.setTime(ps, 2, now);
        ps.setInt(3, sub.attempts());
        ps.setString(4, sub.smsId());
        ps.setString(5, Status.QUEUED.name());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) {
          Submission sub = submissions.get(i);
          changes.add(new Change(sub.smsId(), sub.kind(), Status.QUEUED, Status.SUBMITTED, null));
        }
      }
    }
    for (String id : early) {
      settle(c, id, now).ifPresent(changes::add);
    }
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
   * Delivery receipts, in one transaction: each is recorded on its part (or waits for it, when the
   * receipt overtook the gateway's own record of the id), then every SMS they complete settles.
   */
  private List<Change> receipts(Connection c, List<Receipt> receipts, OffsetDateTime now) throws SQLException {
    List<Receipt> conflicts = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "insert into sms_parts (message_id, receipt_state, receipt_error, receipt_at) values (?,?,?,?) on conflict do nothing")) {
      for (Receipt r : receipts) {
        ps.setString(1, r.messageId());
        ps.setString(2, r.state());
        ps.setString(3, r.error());
        SmsSql.setTime(ps, 4, now);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          conflicts.add(receipts.get(i)); // the usual case: the part was recorded when it was submitted
        }
      }
    }
    Set<String> smsIds = new java.util.LinkedHashSet<>();
    if (!conflicts.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(
          "update sms_parts set receipt_state = ?, receipt_error = ?, receipt_at = ? where message_id = ?")) {
        for (Receipt r : conflicts) {
          ps.setString(1, r.state());
          ps.setString(2, r.error());
          SmsSql.setTime(ps, 3, now);
          ps.setString(4, r.messageId());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("select sms_id from sms_parts where message_id = ?")) {
        for (Receipt r : conflicts) {
          ps.setString(1, r.messageId());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getString(1) != null) {
              smsIds.add(rs.getString(1));
            }
          }
        }
      }
    }
    List<Change> changes = new ArrayList<>();
    for (String id : smsIds) {
      settle(c, id, now).ifPresent(changes::add);
    }
    return changes;
  }

  /** SUBMITTED -> DELIVERED / FAILED / EXPIRED once the receipts decide it; at most once. */
  private Optional<Change> settle(Connection c, String smsId, OffsetDateTime now) throws SQLException {
    int parts;
    SmsKind kind;
    try (PreparedStatement ps = c.prepareStatement("select status, parts, kind from sms_log where sms_id = ?")) {
      ps.setString(1, smsId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || !Status.SUBMITTED.name().equals(rs.getString(1))) {
          return Optional.empty();
        }
        parts = rs.getInt(2);
        kind = SmsKind.valueOf(rs.getString(3));
      }
    }
    Map<Integer, String> bestBySeq = new HashMap<>();
    Map<Integer, String> errorBySeq = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("select seq, receipt_state, receipt_error from sms_parts where sms_id = ?")) {
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
      for (int seq = 1; seq <= parts; seq++) {
        if (ReceiptStates.statusOf(bestBySeq.get(seq)) != Status.DELIVERED) {
          return Optional.empty();
        }
      }
      to = Status.DELIVERED;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "update sms_log set status = ?, done_at = ?, status_detail = ? where sms_id = ? and status = ?")) {
      ps.setString(1, to.name());
      SmsSql.setTime(ps, 2, now);
      ps.setString(3, detail);
      ps.setString(4, smsId);
      ps.setString(5, Status.SUBMITTED.name());
      return ps.executeUpdate() == 1 ? Optional.of(new Change(smsId, kind, Status.SUBMITTED, to, detail)) : Optional.empty();
    }
  }

  private List<Entry> select(String sql, String arg) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      List<Entry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Entry(rs.getString("sms_id"), rs.getString("sms_key"), rs.getString("case_no"), SmsKind.valueOf(rs.getString("kind")),
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
