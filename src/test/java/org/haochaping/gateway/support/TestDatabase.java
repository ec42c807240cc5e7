package org.haochaping.gateway.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The database a test runs against: the embedded H2 default, or, when {@code hcp.test.db.url}
 * names a PostgreSQL server (as .ci/run does), a fresh database on it for each test class.
 */
public final class TestDatabase implements AutoCloseable {

  private final String adminUrl;
  private final String user;
  private final String password;
  private final String name;

  private TestDatabase(String adminUrl, String user, String password, String name) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
    this.name = name;
  }

  /** A new, empty database; {@link #url()} is empty for the embedded H2 default. */
  public static TestDatabase create() {
    String url = System.getProperty("hcp.test.db.url", "");
    if (url.isBlank()) {
      return new TestDatabase(null, "", "", null);
    }
    // hcp_test_<epoch seconds>_<random>: the time in the name tells a leftover from a database in use.
    long now = System.currentTimeMillis() / 1000;
    String name = "hcp_test_" + now + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    TestDatabase db = new TestDatabase(url, System.getProperty("hcp.test.db.user", ""), System.getProperty("hcp.test.db.password", ""), name);
    // Left over by an earlier run that was killed. Other builds may share this server (several
    // worktrees, CI), so only databases older than a day are dropped, never one that may be in use.
    for (String old : db.query("select datname from pg_database where datname like 'hcp\\_test\\_%'")) {
      String[] parts = old.split("_");
      if (parts.length == 4 && parts[2].matches("\\d{10}") && now - Long.parseLong(parts[2]) > 24 * 3600) {
        db.admin("drop database if exists " + old + " with (force)");
      }
    }
    db.admin("create database " + name);
    return db;
  }

  public static boolean postgres() {
    return !System.getProperty("hcp.test.db.url", "").isBlank();
  }

  public String url() {
    if (adminUrl == null) {
      return "";
    }
    int slash = adminUrl.lastIndexOf('/');
    int query = adminUrl.indexOf('?', slash);
    return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  private void admin(String sql) {
    try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL test database: " + sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (adminUrl != null && !query("select datname from pg_database where datname = '" + name + "'").isEmpty()) {
      // Our own sessions are ended first, then a plain DROP: it tells an autovacuum worker busy in the
      // database to exit and waits for it, where WITH (FORCE) fails for want of the right to signal
      // that worker (a PostgreSQL run failed so once).
      refuseConnections();
      admin("drop database if exists " + name);
    }
  }

  /**
   * What a stopped database looks like to a gateway: new connections refused, open ones cut. Only
   * this role's sessions are ended: an autovacuum worker busy in the database belongs to the
   * superuser, and signalling it fails for want of the right (a chaos run failed so once).
   */
  public void refuseConnections() {
    admin("alter database " + name + " allow_connections false");
    admin("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + name
        + "' and usename = current_user and pid <> pg_backend_pid()");
  }

  /** Undoes {@link #refuseConnections}. */
  public void acceptConnections() {
    admin("alter database " + name + " allow_connections true");
  }

  private java.util.List<String> query(String sql) {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL test database: " + sql + ": " + e.getMessage(), e);
    }
    return out;
  }
}
