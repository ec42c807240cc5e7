package org.haochaping.gateway.sms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.StoreException;

/**
 * Which case a reply is about (docs/sms.md "Which case a reply rates").
 *
 * <p>Each prompt goes out from the service number plus an extension code (扩展码) that is unique
 * among the open cases of that mobile: the first open case gets {@code 01}, a second one
 * {@code 02}, and so on. The handset replies to the number it got the SMS from, so the extension
 * names the case even when one person has three cases waiting. A reply that arrives without a
 * usable extension (a carrier that strips it, a person who types the bare service number) rates the
 * case this mobile was prompted for most recently. An extension stays taken until the case's
 * rating link expires, so a late reply never lands on another case.
 */
public final class SmsConversations {

  /** What the gateway waits for from this mobile about this case. */
  public enum State { AWAITING_RATING, AWAITING_REASON, RATED }

  /** One case prompted to one mobile. */
  public record Conversation(String mobileHash, String extension, String caseNo, State state, Level pendingLevel,
      String ratingId, OffsetDateTime promptedAt, OffsetDateTime expiresAt) {

    public boolean open(OffsetDateTime now) {
      return state != State.RATED && now.isBefore(expiresAt);
    }
  }

  private final Database db;
  private final Clock clock;
  private final int digits;

  public SmsConversations(Database db, Clock clock, int extensionDigits) {
    this.db = db;
    this.clock = clock;
    this.digits = extensionDigits;
  }

  public int digits() {
    return digits;
  }

  /**
   * The extension under which {@code caseNo} is prompted to this mobile: the one it already has,
   * or the lowest free one. Marks the case as prompted now.
   */
  public String open(String mobileHash, String caseNo, OffsetDateTime expiresAt) {
    for (int attempt = 0; attempt < 5; attempt++) {
      OffsetDateTime now = OffsetDateTime.now(clock);
      List<Conversation> mine = forMobile(mobileHash);
      for (Conversation c : mine) {
        if (c.caseNo().equals(caseNo)) {
          execute("update sms_conversations set prompted_at = ?, expires_at = ?, updated_at = ? where mobile_hash = ? and extension = ?",
              now, expiresAt.isAfter(c.expiresAt()) ? expiresAt : c.expiresAt(), now, mobileHash, c.extension());
          return c.extension();
        }
      }
      String extension = free(mine, now);
      try (Connection c = db.connection()) {
        c.setAutoCommit(false);
        try {
          // an expired conversation, or the oldest when every extension is taken, makes room
          try (PreparedStatement ps = c.prepareStatement("delete from sms_conversations where mobile_hash = ? and extension = ?")) {
            ps.setString(1, mobileHash);
            ps.setString(2, extension);
            ps.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement("insert into sms_conversations (mobile_hash, extension, case_no, state, "
              + "prompted_at, expires_at, updated_at) values (?,?,?,?,?,?,?)")) {
            ps.setString(1, mobileHash);
            ps.setString(2, extension);
            ps.setString(3, caseNo);
            ps.setString(4, State.AWAITING_RATING.name());
            SmsSql.setTime(ps, 5, now);
            SmsSql.setTime(ps, 6, expiresAt);
            SmsSql.setTime(ps, 7, now);
            ps.executeUpdate();
          }
          c.commit();
          return extension;
        } catch (SQLException e) {
          c.rollback();
          if (!"23505".equals(e.getSQLState()) && !"23001".equals(e.getSQLState())) {
            throw e;
          }
          // another node took this extension for this mobile at the same moment: look again
        }
      } catch (SQLException e) {
        throw new StoreException("cannot open an SMS conversation for case " + caseNo, e);
      }
    }
    throw new StoreException("cannot find a free SMS extension for case " + caseNo, null);
  }

  private String free(List<Conversation> mine, OffsetDateTime now) {
    if (digits == 0) {
      return "";
    }
    Set<String> taken = new HashSet<>();
    for (Conversation c : mine) {
      if (now.isBefore(c.expiresAt())) {
        taken.add(c.extension());
      }
    }
    int max = (int) Math.pow(10, digits) - 1;
    for (int n = 1; n <= max; n++) {
      String ext = String.format("%0" + digits + "d", n);
      if (!taken.contains(ext)) {
        return ext;
      }
    }
    return mine.stream().min(Comparator.comparing(Conversation::promptedAt)).orElseThrow().extension();
  }

  public Optional<Conversation> find(String mobileHash, String extension) {
    return forMobile(mobileHash).stream().filter(c -> c.extension().equals(extension)).findFirst();
  }

  /** The case this mobile was prompted for most recently that still waits for something from it. */
  public Optional<Conversation> mostRecentOpen(String mobileHash) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return forMobile(mobileHash).stream().filter(c -> c.open(now)).max(Comparator.comparing(Conversation::promptedAt));
  }

  /** Whether the mobile has any conversation at all (it was prompted at least once). */
  public boolean known(String mobileHash) {
    return !forMobile(mobileHash).isEmpty();
  }

  public void awaitReason(Conversation c, Level level) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    execute("update sms_conversations set state = ?, pending_level = ?, updated_at = ? where mobile_hash = ? and extension = ?",
        State.AWAITING_REASON.name(), level.name(), now, c.mobileHash(), c.extension());
  }

  public void rated(Conversation c, String ratingId) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    execute("update sms_conversations set state = ?, pending_level = null, rating_id = ?, updated_at = ? where mobile_hash = ? "
        + "and extension = ?", State.RATED.name(), ratingId, now, c.mobileHash(), c.extension());
  }

  /** The extension a reply was sent to, or null when the address does not carry one of ours. */
  public String extensionOf(String destAddr, String serviceNumber) {
    if (destAddr == null) {
      return null;
    }
    String d = destAddr.strip();
    String base = serviceNumber.startsWith("+") ? serviceNumber.substring(1) : serviceNumber;
    if (d.startsWith("+")) {
      d = d.substring(1);
    }
    if (!d.startsWith(base)) {
      return null;
    }
    String rest = d.substring(base.length());
    if (digits == 0) {
      return rest.isEmpty() ? "" : null;
    }
    return rest.length() >= digits && rest.substring(0, digits).chars().allMatch(Character::isDigit) ? rest.substring(0, digits) : null;
  }

  private List<Conversation> forMobile(String mobileHash) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select * from sms_conversations where mobile_hash = ?")) {
      ps.setString(1, mobileHash);
      List<Conversation> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String level = rs.getString("pending_level");
          out.add(new Conversation(rs.getString("mobile_hash"), rs.getString("extension"), rs.getString("case_no"),
              State.valueOf(rs.getString("state")), level == null ? null : Level.valueOf(level), rs.getString("rating_id"),
              SmsSql.time(rs, "prompted_at"), SmsSql.time(rs, "expires_at")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read SMS conversations", e);
    }
  }

  private void execute(String sql, Object... args) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof OffsetDateTime t) {
          SmsSql.setTime(ps, i + 1, t);
        } else {
          ps.setObject(i + 1, args[i]);
        }
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot update an SMS conversation", e);
    }
  }
}
