package org.haochaping.gateway.ops;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.haochaping.gateway.store.Database;

/** Ready only when the database answers: cases, idempotency keys and the ledger live there. */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

  private final Database database;

  public DatabaseHealthCheck(Database database) {
    super("hcp", "database");
    this.database = database;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    builder.detail("database", database.description());
    try {
      database.ping(2);
      builder.up();
    } catch (Exception e) {
      builder.message("database unreachable: " + e.getMessage()).error(e).down();
    }
  }
}
