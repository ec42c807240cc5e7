package org.haochaping.gateway.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 file from growing without end. Every commit is written before it returns
 * ({@code WRITE_DELAY 0}), and H2 then runs none of the housekeeping its background writer does
 * otherwise: each commit leaves a chunk of pages in the file, most of them superseded by the next
 * commits but a few still live, so no chunk is ever free again and the file grew by some 125 KB per
 * rating (7.5 GB in four minutes of 250 ratings/s; docs/benchmarks.md, soak). Here a daemon rewrites,
 * four times a second while the file is less than 80 % full, the live pages of chunks that are at
 * most half full, so that their space is reused; with old chunks kept 1 s instead of 45 s
 * ({@code RETENTION_TIME}) the file stays within about twice its live data. (A chunk is kept after
 * it was superseded so that a crash of the operating system, whose write buffers may not have
 * reached the disk, finds a consistent older state; the gateway's own promise, no committed row lost
 * when the process is killed, does not depend on it.)
 *
 * <p>Only chunks at most half full: H2's public {@link MVStore#compact(int, int)} moves the live
 * pages of any chunk not entirely live, the fullest too, up to its byte budget at every pass — and
 * under load the file is always under the target (the last second's superseded chunks alone see to
 * that), so it moved 16 MB of mostly live pages four times a second, which every commit then wrote
 * again: a fifth of the CPU of an SMS run, and of a REST run (docs/benchmarks.md, "Embedded H2").
 * H2 has the selective rewrite, but not as public API; it is called by reflection, and when a
 * future H2 no longer has it, the public compaction takes over (with a warning).
 */
final class H2Housekeeping implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
  static final int RETENTION_MILLIS = 1_000;
  /** Housekeeping works while the file as a whole is less full than this. */
  private static final int TARGET_FILL_PERCENT = 80;
  /** ... and rewrites only chunks at most this full: moving at most one live byte per byte freed. */
  static final int REWRITE_AT_MOST_FILL_PERCENT = 50;
  private static final int MAX_REWRITE_BYTES = 16 << 20;

  private final MVStore store;
  /** {@code FileStore.rewriteChunks(int writeLimit, int targetFillRate)}, or null: H2's public compaction. */
  private final Method rewriteChunks;
  /** {@code MVStore.tryExecuteUnderStoreLock(Callable)}, which H2's own compaction runs the rewrite under. */
  private final Method underStoreLock;
  private final ScheduledExecutorService timer;

  private H2Housekeeping(MVStore store) {
    this.store = store;
    Method rewrite = null;
    Method locked = null;
    try {
      rewrite = FileStore.class.getDeclaredMethod("rewriteChunks", int.class, int.class);
      locked = MVStore.class.getDeclaredMethod("tryExecuteUnderStoreLock", Callable.class);
      rewrite.setAccessible(true);
      locked.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("H2 housekeeping: this H2 has no selective chunk rewrite ({}); using its public compaction, which costs more CPU", e.toString());
      rewrite = null;
      locked = null;
    }
    this.rewriteChunks = rewrite;
    this.underStoreLock = locked;
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hcp-h2-housekeeping");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::pass, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** Whether chunks are rewritten selectively (H2 has the method), not by H2's public compaction. */
  boolean selective() {
    return rewriteChunks != null;
  }

  private void pass() {
    try {
      if (store.isClosed()) {
        return;
      }
      FileStore<?> files = store.getFileStore();
      if (files.getChunksFillRate() >= TARGET_FILL_PERCENT) {
        return;
      }
      if (rewriteChunks == null) {
        store.compact(TARGET_FILL_PERCENT, MAX_REWRITE_BYTES);
        return;
      }
      Callable<Object> rewrite = () -> rewriteChunks.invoke(files, MAX_REWRITE_BYTES, REWRITE_AT_MOST_FILL_PERCENT);
      underStoreLock.invoke(store, rewrite);
    } catch (InvocationTargetException e) {
      LOG.debug("H2 housekeeping: {}", String.valueOf(e.getCause()));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("H2 housekeeping: {}", e.toString());
    }
  }

  /** Starts housekeeping for the H2 database {@code c} belongs to. */
  static H2Housekeeping start(Connection c) throws SQLException {
    return new H2Housekeeping(mvStore(c));
  }

  /** The store of the H2 database {@code c} belongs to. */
  static MVStore mvStore(Connection c) throws SQLException {
    return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
