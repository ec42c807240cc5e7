package org.haochaping.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's relational store: an H2 file database under the data directory by default,
 * PostgreSQL when {@code HCP_DB_URL} points at one. Flyway migrates the schema at start.
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** The SQL dialects the stores know. H2 runs in PostgreSQL mode, so they differ little. */
  public enum Dialect { H2, POSTGRESQL }

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final String description;
  /** The embedded H2's compaction (null on PostgreSQL). */
  private final H2Housekeeping housekeeping;
  /** Set while the database cannot be reached; see {@link #connection()}. */
  private final AtomicReference<Outage> outage = new AtomicReference<>();
  private static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;

  private Database(HikariDataSource dataSource, Dialect dialect, String description, H2Housekeeping housekeeping) {
    this.dataSource = dataSource;
    this.housekeeping = housekeeping;
    this.dialect = dialect;
    this.description = description;
  }

  /**
   * Opens the database and migrates it.
   *
   * @param url empty for the embedded H2 file under {@code dataDir}
   */
  public static Database open(String url, String user, String password, Path dataDir, int poolSize) {
    boolean embedded = url == null || url.isBlank();
    String jdbcUrl = embedded
        // WRITE_DELAY 0 (set below, once migrated): a commit reaches the file before it returns, so a
        // kill -9 loses no committed row.
        ? embeddedUrl(dataDir)
        : url.strip();
    Dialect dialect = jdbcUrl.startsWith("jdbc:postgresql:") ? Dialect.POSTGRESQL : Dialect.H2;
    HikariConfig config = new HikariConfig();
    config.setPoolName("hcp-db");
    config.setJdbcUrl(jdbcUrl);
    if (embedded) {
      config.setUsername("sa");
      config.setPassword("");
    } else {
      config.setUsername(user);
      config.setPassword(password);
    }
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setConnectionTimeout(5_000);
    config.setValidationTimeout(2_000);
    // Fail at start-up if the database is not there, rather than at the first rating.
    config.setInitializationFailTimeout(30_000);
    HikariDataSource ds = new HikariDataSource(config);
    String description = embedded ? "H2 file database under " + dataDir.resolve("db") : redact(jdbcUrl);
    H2Housekeeping housekeeping = null;
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration")
          .load()
          .migrate();
      if (dialect == Dialect.H2) {
        // The schema is written with H2's default write delay (a first start is a quarter of a
        // second faster: a hundred DDL commits need not each reach the disk); CHECKPOINT puts it all
        // on disk, and from here on every commit is written before it returns. A crash in the
        // middle of migrating leaves what a crash between two migrations leaves either way.
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
          st.execute("SET WRITE_DELAY 0");
          st.execute("SET RETENTION_TIME " + H2Housekeeping.RETENTION_MILLIS);
          st.execute("CHECKPOINT");
          if (embedded) {
            housekeeping = H2Housekeeping.start(c);
          }
        }
      }
    } catch (SQLException e) {
      ds.close();
      throw new StoreException("cannot prepare the database " + description, e);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    LOG.info("Database ready: {} ({})", description, dialect);
    return new Database(ds, dialect, description, housekeeping);
  }

  /**
   * The JDBC URL of the embedded H2 file database under {@code dataDir}, the one used when no URL is
   * configured. Another component in the same JVM (user {@code sa}, no password) shares it through
   * this URL: the test suite's broker, which checks evaluator logins against the device registry.
   *
   * <p>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 would otherwise close the database from its own shutdown
   * hook as soon as the JVM is asked to stop (SIGTERM, Ctrl-C), while Camel's graceful shutdown, in
   * another hook, is still letting the messages in flight finish: each of them then failed with
   * "Database is already closed", a hundred ERRORs at every stop under load, and went back to the
   * broker to be done again at the next start. The gateway closes the database itself, after its
   * routes have stopped (GatewayConfiguration.Resources). A process killed outright is unaffected:
   * every commit is on disk when it returns.
   */
  public static String embeddedUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.resolve("db").resolve("gateway").toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * A pooled connection. While the database is known to be unreachable (the last attempt to open a
   * connection failed), one caller at a time, at most one a second, tries again and waits the pool's
   * timeout; the others fail at once with the reason. A health page that reads five things, a metrics
   * scrape or a REST request answers in milliseconds during an outage instead of each read waiting
   * five seconds for the same refusal.
   */
  public Connection connection() throws SQLException {
    Outage o = outage.get();
    if (o != null && (System.nanoTime() - o.lastProbeNanos < PROBE_INTERVAL_NANOS || !o.probing.compareAndSet(false, true))) {
      throw new SQLTransientConnectionException("database unreachable for "
          + (System.nanoTime() - o.sinceNanos) / 1_000_000_000L + " s: " + o.reason);
    }
    try {
      Connection c = dataSource.getConnection();
      if (o != null && outage.compareAndSet(o, null)) {
        LOG.info("Database reachable again after {} s: {}", (System.nanoTime() - o.sinceNanos) / 1_000_000_000L, description);
      }
      return c;
    } catch (SQLException e) {
      if (o != null) {
        o.lastProbeNanos = System.nanoTime();
        o.probing.set(false);
      } else if (e.getCause() != null) {
        // A connection could not be opened (refused, authentication, database not accepting); a pool
        // merely busy under load times out without a cause and is not an outage.
        String reason = String.valueOf(e.getCause().getMessage());
        if (outage.compareAndSet(null, new Outage(reason, System.nanoTime()))) {
          LOG.warn("Database unreachable: {} — requests fail at once with this reason, one at a time tries again", reason);
        }
      }
      throw e;
    }
  }

  private static final class Outage {
    final String reason;
    final long sinceNanos;
    volatile long lastProbeNanos;
    final AtomicBoolean probing = new AtomicBoolean();

    Outage(String reason, long sinceNanos) {
      this.reason = reason;
      this.sinceNanos = sinceNanos;
      this.lastProbeNanos = sinceNanos;
    }
  }

  /** The embedded H2's compaction; null on PostgreSQL or an H2 given by URL. */
  H2Housekeeping housekeeping() {
    return housekeeping;
  }

  public Dialect dialect() {
    return dialect;
  }

  public String description() {
    return description;
  }

  /** A round trip to the database within {@code timeoutSeconds}; the message says what failed. */
  public void ping(int timeoutSeconds) throws SQLException {
    try (Connection c = connection(); Statement s = c.createStatement()) {
      s.setQueryTimeout(timeoutSeconds);
      s.execute("select 1");
    }
  }

  @Override
  public void close() {
    if (housekeeping != null) {
      housekeeping.close();
    }
    dataSource.close();
  }

  /** A JDBC URL without its password parameter, for logs and health details. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
  }
}
