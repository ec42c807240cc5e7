package org.haochaping.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;

/**
 * The embedded H2, which writes every commit before it returns, leaves a chunk in its file per
 * commit; housekeeping rewrites the chunks at most half full (once they are older than the retention
 * time), so that the file's chunks end up more than half live.
 */
class H2HousekeepingTest {

  @Test
  void afterABurstOfSmallCommitsTheFileBecomesMoreThanHalfLive() throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "H2HousekeepingTest-");
    try (Database db = Database.open("", "", "", dir, 2)) {
      assertThat(db.housekeeping()).isNotNull();
      assertThat(db.housekeeping().selective()).as("H2 has the selective chunk rewrite").isTrue();
      String body = "评".repeat(300);
      try (Connection c = db.connection()) {
        MVStore store = H2Housekeeping.mvStore(c);
        try (Statement st = c.createStatement()) {
          st.execute("create table hk_test (id int primary key, body varchar(2000))");
        }
        try (PreparedStatement insert = c.prepareStatement("insert into hk_test values (?, ?)")) {
          // 20,000 commits of one new row each, as fast as they go: each leaves a chunk that stays a
          // little live (the leaf its row went to), too young to be rewritten while the burst lasts
          for (int i = 0; i < 20_000; i++) {
            insert.setInt(1, i);
            insert.setString(2, body);
            insert.executeUpdate();
          }
          // then a quieter gateway, a commit every 200 ms: the sparse chunks are rewritten, and the file
          // becomes more than half live (without housekeeping it stays about a fifth live)
          int[] next = {20_000};
          await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            insert.setInt(1, next[0]++);
            insert.setString(2, body);
            insert.executeUpdate();
            return store.getFileStore().getChunksFillRate() > H2Housekeeping.REWRITE_AT_MOST_FILL_PERCENT;
          });
        }
        try (Statement st = c.createStatement(); var rs = st.executeQuery("select count(*), min(id), max(length(body)) from hk_test")) {
          rs.next();
          assertThat(rs.getInt(1)).as("every row still there").isGreaterThan(20_000);
          assertThat(rs.getInt(2)).isZero();
          assertThat(rs.getInt(3)).isEqualTo(300);
        }
      }
    }
  }
}
