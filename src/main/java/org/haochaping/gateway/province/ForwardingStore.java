package org.haochaping.gateway.province;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.policy.RatingIdentity;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.RatingLedger;
import org.haochaping.gateway.store.StoreException;

/**
 * What forwarding remembers, in the gateway's database (V2__province_forwarding.sql): each rating's
 * delivery (its key at the province and state SENDING/SENT/...), what the province has of each
 * case, the dead-letter queue, and the status the rating API shows (ratings.status).
 *
 * <p>Exactly once at the province: a rating's record key (projectNo, assessNumber, serviceNumber)
 * is written with state SENDING before the first call and kept for every resend; the outcome is
 * written after the call. A rating found SENDING again (a crash or a lost answer in between) is
 * resent under the same key, and the province's 3002 (duplicate) then means it had it already.
 */
public final class ForwardingStore {

  /** A delivery's state (see the migration). */
  public enum State { SENDING, SENT, REJECTED, DEAD, QUEUED }

  /** The status of a rating as GET /api/v1/ratings/{id} shows it. */
  public enum Status { ACCEPTED, FORWARDED, REJECTED_BY_PROVINCE, DEAD_LETTER }

  /**
   * A rating claimed for a call.
   *
   * @param before its state before this claim; null when this is its first claim
   */
  public record Claim(String ratingId, int serviceNumber, State before, int attempts) {
    /** Already decided by an earlier delivery of the same message: nothing to send. */
    public boolean settled() {
      return before == State.SENT || before == State.REJECTED || before == State.DEAD;
    }

    /** An earlier call may have reached the province: a 3002 now means it holds the record. */
    public boolean maybeDelivered() {
      return before == State.SENDING;
    }

    public boolean replayed() {
      return before == State.QUEUED;
    }
  }

  /** The decided fate of one rating. */
  public record Outcome(Rating rating, byte[] body, Claim claim, Status status, String code, String message) {}

  /** One case as the province answered it. */
  public record CaseOutcome(String caseNo, String status, boolean accepted, String code, String message) {}

  /** An entry of the dead-letter queue as an operator sees it: no personal data. */
  public record DeadLetter(String ratingId, String caseNo, String channel, String status, String code, String message,
      OffsetDateTime deadAt, int replays, OffsetDateTime replayRequestedAt) {}

  /** What a replay sends again. */
  public record Replay(String ratingId, byte[] body, int replay) {}

  private final Database db;
  private final RatingLedger ledger;
  private final Clock clock;
  /** Held from the first write of a claim that allocates serviceNumbers to its commit (see {@link #claim}). */
  private final ReentrantLock allocation = new ReentrantLock();

  public ForwardingStore(Database db, RatingLedger ledger, Clock clock) {
    this.db = db;
    this.ledger = ledger;
    this.clock = clock;
  }

  // ---- deliveries ---------------------------------------------------------------------------

  /**
   * Claims every rating for a call, in one transaction: a new rating gets its serviceNumber (the
   * next free one of its case and assessNumber) and state SENDING; one seen before keeps its key
   * and is SENDING again unless it was already decided.
   */
  public Map<String, Claim> claim(List<Rating> ratings) {
    Map<String, Claim> claims = new LinkedHashMap<>();
    boolean allocating = false;
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        claims.putAll(existing(c, ratings.stream().map(Rating::ratingId).toList()));
        List<Rating> fresh = ratings.stream().filter(r -> !claims.containsKey(r.ratingId())).toList();
        if (!fresh.isEmpty()) {
          // Taken before this transaction writes anything (so it never waits for it while holding a
          // row another holder wants) and kept until the commit: otherwise the forwarding threads of
          // this node, claiming ratings of one case at once, picked the same serviceNumber, and all but
          // one rolled back and tried again — 13 % of the gateway's CPU in a REST run whose ratings
          // shared 2,000 cases (docs/benchmarks.md, "Embedded H2"). Other nodes still race; the rounds
          // below settle that.
          allocation.lock();
          allocating = true;
        }
        resend(c, claims.values().stream().filter(k -> !k.settled()).toList());
        for (int round = 0; !fresh.isEmpty(); round++) {
          if (round == 10) {
            throw new StoreException("cannot allocate serviceNumbers (concurrent claims)", null);
          }
          fresh = insertFresh(c, fresh, claims);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        if (allocating) {
          allocation.unlock();
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot claim " + ratings.size() + " ratings for forwarding", e);
    }
    return claims;
  }

  private Map<String, Claim> existing(Connection c, List<String> ids) throws SQLException {
    Map<String, Claim> found = new HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    try (PreparedStatement ps = c.prepareStatement("select rating_id, service_number, state, attempts from province_deliveries "
        + "where rating_id in (" + marks(ids.size()) + ")")) {
      bindAll(ps, ids);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), new Claim(rs.getString(1), rs.getInt(2), State.valueOf(rs.getString(3)), rs.getInt(4)));
        }
      }
    }
    return found;
  }

  private void resend(Connection c, List<Claim> again) throws SQLException {
    if (again.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "update province_deliveries set state = 'SENDING', attempts = attempts + 1, updated_at = ? where rating_id = ?")) {
      for (Claim k : again) {
        setTime(ps, 1, now());
        ps.setString(2, k.ratingId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Inserts the fresh ratings with the next free serviceNumbers; returns those that lost a race, to try again. */
  private List<Rating> insertFresh(Connection c, List<Rating> fresh, Map<String, Claim> claims) throws SQLException {
    Set<String> caseNos = new TreeSet<>();
    fresh.forEach(r -> caseNos.add(r.caseNo()));
    Map<String, Integer> highest = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("select case_no, assess_number, max(service_number) from province_deliveries "
        + "where case_no in (" + marks(caseNos.size()) + ") group by case_no, assess_number")) {
      bindAll(ps, caseNos);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          highest.put(rs.getString(1) + "|" + rs.getInt(2), rs.getInt(3));
        }
      }
    }
    List<Claim> planned = new ArrayList<>();
    OffsetDateTime now = now();
    try (PreparedStatement ps = c.prepareStatement("insert into province_deliveries (rating_id, case_no, assess_number, "
        + "service_number, state, attempts, created_at, updated_at) values (?,?,?,?,'SENDING',1,?,?) on conflict do nothing")) {
      for (Rating r : fresh) {
        int number = highest.merge(r.caseNo() + "|" + r.assessNumber(), 1, Integer::sum);
        planned.add(new Claim(r.ratingId(), number, null, 1));
        ps.setString(1, r.ratingId());
        ps.setString(2, r.caseNo());
        ps.setInt(3, r.assessNumber());
        ps.setInt(4, number);
        setTime(ps, 5, now);
        setTime(ps, 6, now);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      List<Rating> lost = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) {
          claims.put(planned.get(i).ratingId(), planned.get(i));
        } else {
          lost.add(fresh.get(i));
        }
      }
      if (lost.isEmpty()) {
        return lost;
      }
      // Either another node claimed the same rating (use its claim) or took the serviceNumber.
      Map<String, Claim> theirs = existing(c, lost.stream().map(Rating::ratingId).toList());
      claims.putAll(theirs);
      return lost.stream().filter(r -> !theirs.containsKey(r.ratingId())).toList();
    }
  }

  /**
   * Writes the outcomes in one transaction: the delivery state, the dead-letter queue, the rating
   * status. A rating the ledger has not stored yet is stored here first (the ledger's write is
   * idempotent on ratingId), so its status is never overwritten by a late ACCEPTED.
   */
  public void settle(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return;
    }
    List<Outcome> missing;
    OffsetDateTime now = now();
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        // The common case, forwarded, is written set-wise (one statement per code); the rest row by row.
        Map<String, List<String>> sentByCode = new LinkedHashMap<>();
        List<Outcome> others = new ArrayList<>();
        for (Outcome o : outcomes) {
          if (o.status() == Status.FORWARDED) {
            sentByCode.computeIfAbsent(o.code(), k -> new ArrayList<>()).add(o.rating().ratingId());
          } else {
            others.add(o);
          }
        }
        for (Map.Entry<String, List<String>> e : sentByCode.entrySet()) {
          try (PreparedStatement ps = c.prepareStatement("update province_deliveries set state = 'SENT', code = ?, message = null, "
              + "updated_at = ?, sent_at = ? where rating_id in (" + marks(e.getValue().size()) + ")")) {
            ps.setString(1, e.getKey());
            setTime(ps, 2, now);
            setTime(ps, 3, now);
            bindAll(ps, 4, e.getValue());
            ps.executeUpdate();
          }
        }
        if (!others.isEmpty()) {
          try (PreparedStatement ps = c.prepareStatement("update province_deliveries set state = ?, code = ?, message = ?, "
              + "updated_at = ?, sent_at = null where rating_id = ?")) {
            for (Outcome o : others) {
              ps.setString(1, stateOf(o.status()).name());
              ps.setString(2, o.code());
              ps.setString(3, cut(o.message()));
              setTime(ps, 4, now);
              ps.setString(5, o.rating().ratingId());
              ps.addBatch();
            }
            ps.executeBatch();
          }
        }
        deadLetters(c, outcomes, now);
        missing = ratingStatus(c, outcomes, now);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record the outcome of " + outcomes.size() + " forwarded ratings", e);
    }
    if (!missing.isEmpty()) {
      ledger.record(missing.stream().map(Outcome::rating).toList(),
          missing.stream().map(o -> RatingIdentity.naturalKey(o.rating())).toList());
      try (Connection c = db.connection()) {
        ratingStatus(c, missing, now);
      } catch (SQLException e) {
        throw new StoreException("cannot record the status of " + missing.size() + " forwarded ratings", e);
      }
    }
  }

  /**
   * Makes the rating status agree with deliveries decided earlier (a redelivered message whose
   * outcome was written before a crash).
   */
  public void resync(List<Outcome> decided) {
    if (decided.isEmpty()) {
      return;
    }
    List<Outcome> missing;
    try (Connection c = db.connection()) {
      missing = ratingStatus(c, decided, now());
    } catch (SQLException e) {
      throw new StoreException("cannot record the status of " + decided.size() + " ratings", e);
    }
    if (!missing.isEmpty()) {
      ledger.record(missing.stream().map(Outcome::rating).toList(),
          missing.stream().map(o -> RatingIdentity.naturalKey(o.rating())).toList());
      try (Connection c = db.connection()) {
        ratingStatus(c, missing, now());
      } catch (SQLException e) {
        throw new StoreException("cannot record the status of " + missing.size() + " ratings", e);
      }
    }
  }

  /** The code and message a delivery was decided with, for a redelivered message. */
  public Map<String, String[]> decisions(Collection<String> ratingIds) {
    Map<String, String[]> out = new HashMap<>();
    if (ratingIds.isEmpty()) {
      return out;
    }
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select rating_id, code, message from province_deliveries where rating_id in ("
            + marks(ratingIds.size()) + ")")) {
      bindAll(ps, ratingIds);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read deliveries", e);
    }
    return out;
  }

  private void deadLetters(Connection c, List<Outcome> outcomes, OffsetDateTime now) throws SQLException {
    List<Outcome> dead = outcomes.stream().filter(o -> o.status() == Status.REJECTED_BY_PROVINCE || o.status() == Status.DEAD_LETTER).toList();
    // A replayed rating that got through leaves the queue (its claim may say SENDING after a crash).
    List<String> revived = outcomes.stream().filter(o -> o.status() == Status.FORWARDED && o.claim().before() != null)
        .map(o -> o.rating().ratingId()).toList();
    if (!dead.isEmpty()) {
      try (PreparedStatement insert = c.prepareStatement("insert into province_dead_letters (rating_id, case_no, channel, status, "
          + "code, message, body, dead_at, replays) values (?,?,?,?,?,?,?,?,0) on conflict do nothing");
          PreparedStatement update = c.prepareStatement("update province_dead_letters set status = ?, code = ?, message = ?, "
              + "dead_at = ?, replay_requested_at = null where rating_id = ?")) {
        for (Outcome o : dead) {
          insert.setString(1, o.rating().ratingId());
          insert.setString(2, o.rating().caseNo());
          insert.setString(3, o.rating().channel().name());
          insert.setString(4, o.status().name());
          insert.setString(5, o.code());
          insert.setString(6, cut(o.message()));
          insert.setString(7, new String(o.body(), java.nio.charset.StandardCharsets.UTF_8));
          setTime(insert, 8, now);
          insert.addBatch();
          update.setString(1, o.status().name());
          update.setString(2, o.code());
          update.setString(3, cut(o.message()));
          setTime(update, 4, now);
          update.setString(5, o.rating().ratingId());
          update.addBatch();
        }
        insert.executeBatch();
        update.executeBatch();
      }
    }
    if (!revived.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("delete from province_dead_letters where rating_id in ("
          + marks(revived.size()) + ")")) {
        bindAll(ps, revived);
        ps.executeUpdate();
      }
    }
  }

  /** Updates ratings.status; answers the outcomes whose rating row does not exist yet. */
  private List<Outcome> ratingStatus(Connection c, List<Outcome> outcomes, OffsetDateTime now) throws SQLException {
    List<Outcome> missing = new ArrayList<>();
    // Forwarded ratings share a few details (their serviceNumber): one statement per detail.
    Map<String, List<Outcome>> forwarded = new LinkedHashMap<>();
    List<Outcome> others = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o.status() == Status.FORWARDED) {
        forwarded.computeIfAbsent(detail(o), k -> new ArrayList<>()).add(o);
      } else {
        others.add(o);
      }
    }
    for (Map.Entry<String, List<Outcome>> e : forwarded.entrySet()) {
      List<String> ids = e.getValue().stream().map(o -> o.rating().ratingId()).toList();
      int updated;
      try (PreparedStatement ps = c.prepareStatement("update ratings set status = 'FORWARDED', status_detail = ?, forwarded_at = ? "
          + "where rating_id in (" + marks(ids.size()) + ")")) {
        ps.setString(1, cut(e.getKey()));
        setTime(ps, 2, now);
        bindAll(ps, 3, ids);
        updated = ps.executeUpdate();
      }
      if (updated < ids.size()) {
        Set<String> present = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("select rating_id from ratings where rating_id in (" + marks(ids.size()) + ")")) {
          bindAll(ps, 1, ids);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              present.add(rs.getString(1));
            }
          }
        }
        e.getValue().stream().filter(o -> !present.contains(o.rating().ratingId())).forEach(missing::add);
      }
    }
    if (!others.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(
          "update ratings set status = ?, status_detail = ?, forwarded_at = null where rating_id = ?")) {
        for (Outcome o : others) {
          ps.setString(1, o.status().name());
          ps.setString(2, cut(detail(o)));
          ps.setString(3, o.rating().ratingId());
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == 0) {
            missing.add(others.get(i));
          }
        }
      }
    }
    return missing;
  }

  private static String detail(Outcome o) {
    return switch (o.status()) {
      case FORWARDED -> "省平台已接收（serviceNumber " + o.claim().serviceNumber() + "） / accepted by the province";
      case REJECTED_BY_PROVINCE -> "省平台拒收 " + o.code() + "：" + o.message();
      case DEAD_LETTER -> "无法转发 " + o.code() + "：" + o.message();
      case ACCEPTED -> o.message();
    };
  }

  private static State stateOf(Status status) {
    return switch (status) {
      case FORWARDED -> State.SENT;
      case REJECTED_BY_PROVINCE -> State.REJECTED;
      case DEAD_LETTER -> State.DEAD;
      case ACCEPTED -> State.QUEUED;
    };
  }

  // ---- cases --------------------------------------------------------------------------------

  /** The cases of {@code caseNos} the province has accepted (state SENT). */
  public Set<String> casesAtProvince(Collection<String> caseNos) {
    Set<String> at = new TreeSet<>();
    if (caseNos.isEmpty()) {
      return at;
    }
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select case_no from province_cases where state = 'SENT' and case_no in ("
            + marks(caseNos.size()) + ")")) {
      bindAll(ps, caseNos);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          at.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read which cases the province has", e);
    }
    return at;
  }

  public void recordCases(List<CaseOutcome> unordered) {
    if (unordered.isEmpty()) {
      return;
    }
    // In case-number order: two nodes recording pushes of the same cases (accepted and completed
    // events taken by different nodes) take the row locks in one order and never deadlock (chaos suite).
    List<CaseOutcome> outcomes = unordered.stream().sorted(java.util.Comparator.comparing(CaseOutcome::caseNo)).toList();
    OffsetDateTime now = now();
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("insert into province_cases (case_no, state, status, code, message, "
          + "pushed_at) values (?,?,?,?,?,?) on conflict do nothing");
          PreparedStatement update = c.prepareStatement("update province_cases set state = ?, status = ?, code = ?, message = ?, "
              + "pushed_at = ? where case_no = ?")) {
        for (CaseOutcome o : outcomes) {
          insert.setString(1, o.caseNo());
          insert.setString(2, o.accepted() ? "SENT" : "REJECTED");
          insert.setString(3, o.status());
          insert.setString(4, o.code());
          insert.setString(5, cut(o.message()));
          setTime(insert, 6, now);
          insert.addBatch();
          update.setString(1, o.accepted() ? "SENT" : "REJECTED");
          update.setString(2, o.status());
          update.setString(3, o.code());
          update.setString(4, cut(o.message()));
          setTime(update, 5, now);
          update.setString(6, o.caseNo());
          update.addBatch();
        }
        insert.executeBatch();
        update.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record " + outcomes.size() + " case pushes", e);
    }
  }

  // ---- the dead-letter queue ----------------------------------------------------------------

  public long deadLetterCount() {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select count(*) from province_dead_letters");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("cannot count dead letters", e);
    }
  }

  /** Oldest first. */
  public List<DeadLetter> deadLetters(int offset, int limit) {
    List<DeadLetter> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select rating_id, case_no, channel, status, code, message, dead_at, replays, "
            + "replay_requested_at from province_dead_letters order by dead_at, rating_id limit ? offset ?")) {
      ps.setInt(1, limit);
      ps.setInt(2, offset);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new DeadLetter(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), time(rs, 7), rs.getInt(8), time(rs, 9)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read dead letters", e);
    }
    return out;
  }

  /** Removes entries from the queue for good; answers the ids that were there. */
  public List<String> discardDeadLetters(List<String> ratingIds) {
    List<String> found = new ArrayList<>();
    if (ratingIds.isEmpty()) {
      return found;
    }
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps = c.prepareStatement("select rating_id from province_dead_letters where rating_id in ("
            + marks(ratingIds.size()) + ") for update")) {
          bindAll(ps, ratingIds);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found.add(rs.getString(1));
            }
          }
        }
        if (!found.isEmpty()) {
          try (PreparedStatement ps = c.prepareStatement("delete from province_dead_letters where rating_id in ("
              + marks(found.size()) + ")")) {
            bindAll(ps, found);
            ps.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot discard dead letters", e);
    }
    return found;
  }

  /**
   * Marks entries for a replay, in one transaction, and answers what to send: the delivery goes
   * back to QUEUED (its serviceNumber kept), the rating to ACCEPTED. The entry stays in the queue
   * until the replayed rating is forwarded. {@code ratingIds} empty = every entry, up to {@code limit}.
   */
  public List<Replay> replay(List<String> ratingIds, int limit) {
    List<Replay> out = new ArrayList<>();
    OffsetDateTime now = now();
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        String where = ratingIds.isEmpty() ? "" : " where rating_id in (" + marks(ratingIds.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement("select rating_id, body, replays from province_dead_letters" + where
            + " order by dead_at, rating_id limit ?")) {
          bindAll(ps, ratingIds);
          ps.setInt(ratingIds.size() + 1, limit);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(new Replay(rs.getString(1), rs.getString(2).getBytes(java.nio.charset.StandardCharsets.UTF_8), rs.getInt(3) + 1));
            }
          }
        }
        try (PreparedStatement entries = c.prepareStatement(
                "update province_dead_letters set replays = replays + 1, replay_requested_at = ? where rating_id = ?");
            PreparedStatement deliveries = c.prepareStatement(
                "update province_deliveries set state = 'QUEUED', updated_at = ? where rating_id = ? and state in ('REJECTED', 'DEAD')");
            PreparedStatement ratings = c.prepareStatement(
                "update ratings set status = 'ACCEPTED', status_detail = ?, forwarded_at = null where rating_id = ?")) {
          for (Replay r : out) {
            setTime(entries, 1, now);
            entries.setString(2, r.ratingId());
            entries.addBatch();
            setTime(deliveries, 1, now);
            deliveries.setString(2, r.ratingId());
            deliveries.addBatch();
            ratings.setString(1, "已从死信队列重新转发（第 " + r.replay() + " 次） / replayed from the dead-letter queue");
            ratings.setString(2, r.ratingId());
            ratings.addBatch();
          }
          entries.executeBatch();
          deliveries.executeBatch();
          ratings.executeBatch();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot mark dead letters for a replay", e);
    }
    return out;
  }

  /**
   * When the oldest rating still waiting for the province was received (status ACCEPTED: stored,
   * not yet forwarded, rejected or dead-lettered); empty when none waits. Index
   * {@code ratings_status_received} answers it from the first entry.
   */
  public Optional<OffsetDateTime> oldestUnforwarded() {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(
            "select received_at from ratings where status = 'ACCEPTED' order by received_at limit 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(rs.getObject(1, OffsetDateTime.class)) : Optional.empty();
    } catch (SQLException e) {
      throw new StoreException("cannot read the oldest unforwarded rating", e);
    }
  }

  /** How long the oldest unforwarded rating has waited, by this store's clock; empty when none waits. */
  public Optional<java.time.Duration> oldestUnforwardedAge() {
    return oldestUnforwarded().map(at -> java.time.Duration.between(at, now()));
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  private static String marks(int n) {
    return String.join(",", java.util.Collections.nCopies(n, "?"));
  }

  private static void bindAll(PreparedStatement ps, Collection<String> values) throws SQLException {
    bindAll(ps, 1, values);
  }

  private static void bindAll(PreparedStatement ps, int first, Collection<String> values) throws SQLException {
    int i = first;
    for (String v : values) {
      ps.setString(i++, v);
    }
  }

  private static void setTime(PreparedStatement ps, int index, OffsetDateTime t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, t);
    }
  }

  private static OffsetDateTime time(ResultSet rs, int column) throws SQLException {
    return ChinaTime.of(rs.getObject(column, OffsetDateTime.class));
  }

  private static String cut(String text) {
    return ProvinceText.scrub(text);
  }
}
