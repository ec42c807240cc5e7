package org.haochaping.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 file from growing without end. Every commit is written before it returns
 * ({@code WRITE_DELAY 0}), and H2 then runs none of the housekeeping its background writer does
 * otherwise: each commit leaves a chunk of pages in the file, most of them superseded by the next
 * commits but a few still live, so no chunk is ever free again and the file grew by some 125 KB per
 * rating (7.5 GB in four minutes of 250 ratings/s; docs/benchmarks.md, soak). Here a daemon rewrites
 * the live pages of chunks less than 80 % full, four times a second, so that their space is reused;
 * with old chunks kept 1 s instead of 45 s ({@code RETENTION_TIME}) the file stays near its working
 * size. (A chunk is kept after it was superseded so that a crash of the operating system, whose
 * write buffers may not have reached the disk, finds a consistent older state; the gateway's own
 * promise, no committed row lost when the process is killed, does not depend on it.)
 */
final class H2Housekeeping implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
  static final int RETENTION_MILLIS = 1_000;
  private static final int TARGET_FILL_PERCENT = 80;
  private static final int MAX_REWRITE_BYTES = 16 << 20;

  private final ScheduledExecutorService timer;

  private H2Housekeeping(MVStore store) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hcp-h2-housekeeping");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        if (!store.isClosed()) {
          store.compact(TARGET_FILL_PERCENT, MAX_REWRITE_BYTES);
        }
      } catch (RuntimeException e) {
        LOG.debug("H2 housekeeping: {}", e.toString());
      }
    }, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** Starts housekeeping for the H2 database {@code c} belongs to. */
  static H2Housekeeping start(Connection c) throws SQLException {
    MVStore store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    return new H2Housekeeping(store);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
