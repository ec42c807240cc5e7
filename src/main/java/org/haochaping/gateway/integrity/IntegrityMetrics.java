package org.haochaping.gateway.integrity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import org.haochaping.gateway.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hcp_integrity_flags_open{reason}}: flags waiting for a reviewer, read from the database (every node
 * reports the same figure, as for queue depths), at most once every few seconds whatever the scrape rate.
 */
public final class IntegrityMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(IntegrityMetrics.class);
  private static final long FRESH_NANOS = 5_000_000_000L;

  private final Database db;
  private Map<IntegrityReason, Long> open = new EnumMap<>(IntegrityReason.class);
  private long readAt;
  private boolean stale = true;

  public IntegrityMetrics(Database db, MeterRegistry meters) {
    this.db = db;
    for (IntegrityReason r : IntegrityReason.values()) {
      Gauge.builder("hcp.integrity.flags.open", this, m -> m.open(r)).description("Integrity flags waiting for review")
          .tag("reason", r.name()).register(meters);
    }
  }

  /** A flag opened or was decided: the next scrape reads again. */
  void changed() {
    synchronized (this) {
      stale = true;
    }
  }

  synchronized double open(IntegrityReason reason) {
    long now = System.nanoTime();
    if (stale || now - readAt > FRESH_NANOS) {
      Map<IntegrityReason, Long> read = new EnumMap<>(IntegrityReason.class);
      try (Connection c = db.connection();
          PreparedStatement ps = c.prepareStatement("select reason, count(*) from integrity_flags where status = 'OPEN' group by reason");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          IntegrityReason r = IntegrityReason.parse(rs.getString(1));
          if (r != null) {
            read.put(r, rs.getLong(2));
          }
        }
        open = read;
        readAt = now;
        stale = false;
      } catch (SQLException e) {
        LOG.debug("open integrity flags not read: {}", e.getMessage());
      }
    }
    return open.getOrDefault(reason, 0L);
  }
}
