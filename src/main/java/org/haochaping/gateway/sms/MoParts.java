package org.haochaping.gateway.sms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.TreeMap;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * Parts of a long reply (a reason over 70 characters arrives as concatenated deliver_sm) kept in
 * the database until the last one arrives, since the SMSC may hand the parts to different gateway
 * nodes. Replies of one mobile are handled in order by one consumer (JMS group), so assembling and
 * removing needs no lock of its own.
 */
public final class MoParts {

  private final Database db;
  private final Clock clock;

  public MoParts(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Stores the part; the whole text once every part is there (and the parts are removed), else empty. */
  public Optional<String> add(String mobileHash, String destAddr, MoText part) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps = c.prepareStatement("insert into sms_mo_parts (mobile_hash, dest_addr, reference, total, seq, text, "
            + "received_at) values (?,?,?,?,?,?,?) on conflict do nothing")) {
          ps.setString(1, mobileHash);
          ps.setString(2, destAddr);
          ps.setInt(3, part.reference());
          ps.setInt(4, part.total());
          ps.setInt(5, part.seq());
          ps.setString(6, part.text());
          SmsSql.setTime(ps, 7, OffsetDateTime.now(clock));
          ps.executeUpdate();
        }
        TreeMap<Integer, String> texts = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select seq, text from sms_mo_parts where mobile_hash = ? and dest_addr = ? "
            + "and reference = ? and total = ?")) {
          ps.setString(1, mobileHash);
          ps.setString(2, destAddr);
          ps.setInt(3, part.reference());
          ps.setInt(4, part.total());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              texts.put(rs.getInt(1), rs.getString(2));
            }
          }
        }
        if (texts.size() < part.total()) {
          c.commit();
          return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("delete from sms_mo_parts where mobile_hash = ? and dest_addr = ? "
            + "and reference = ? and total = ?")) {
          ps.setString(1, mobileHash);
          ps.setString(2, destAddr);
          ps.setInt(3, part.reference());
          ps.setInt(4, part.total());
          ps.executeUpdate();
        }
        c.commit();
        return Optional.of(String.join("", texts.values()));
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store a part of a reply", e);
    }
  }
}
