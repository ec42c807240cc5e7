package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Rows;
import org.haochaping.gateway.support.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery receipts in the SMS log, on the database the build runs against (H2, or PostgreSQL with
 * {@code hcp.test.db.url}): in the usual order (submit_sm_resp, then the receipt), when the receipt
 * overtakes the gateway's own record of the message id, twice, and for a text in two parts.
 */
@Tag("db")
class SmsLogReceiptsTest {

  @TempDir
  Path dir;

  @Test
  void receiptsSettleTheSmsWhicheverComesFirst() throws SQLException {
    try (TestDatabase test = TestDatabase.create(); Database db = Database.open(test.url(), test.user(), test.password(), dir, 2)) {
      SmsLog log = new SmsLog(db, Clock.systemUTC());

      // the usual order: submitted, then its receipt
      String usual = queue(log, 1);
      assertThat(log.write(List.of(new SmsLog.Submission(usual, SmsKind.PROMPT, Map.of(1, "m-usual"), 1)), List.of()))
          .extracting(SmsLog.Change::to).containsExactly(SmsLog.Status.SUBMITTED);
      assertThat(log.write(List.of(), List.of(new SmsLog.Receipt("m-usual", "DELIVRD", "000"))))
          .extracting(SmsLog.Change::to).containsExactly(SmsLog.Status.DELIVERED);

      // the receipt first (twice, as an SMSC redelivers one whose response it missed), then the submission
      String early = queue(log, 1);
      SmsLog.Receipt receipt = new SmsLog.Receipt("m-early", "UNDELIV", "013");
      assertThat(log.write(List.of(), List.of(receipt, receipt))).isEmpty();
      assertThat(log.write(List.of(), List.of(receipt))).isEmpty();
      assertThat(status(db, early)).isEqualTo("QUEUED");
      assertThat(log.write(List.of(new SmsLog.Submission(early, SmsKind.PROMPT, Map.of(1, "m-early"), 1)), List.of()))
          .extracting(SmsLog.Change::to).containsExactly(SmsLog.Status.SUBMITTED, SmsLog.Status.FAILED);
      assertThat(receiptState(db, "m-early")).isEqualTo("UNDELIV");

      // two parts: delivered when both are, whatever the order of their receipts and the submission
      String twoParts = queue(log, 2);
      assertThat(log.write(List.of(), List.of(new SmsLog.Receipt("m-2b", "DELIVRD", "000")))).isEmpty();
      assertThat(log.write(List.of(new SmsLog.Submission(twoParts, SmsKind.PROMPT, Map.of(1, "m-2a", 2, "m-2b"), 1)), List.of()))
          .extracting(SmsLog.Change::to).containsExactly(SmsLog.Status.SUBMITTED);
      assertThat(log.write(List.of(), List.of(new SmsLog.Receipt("m-2a", "DELIVRD", "000"))))
          .extracting(SmsLog.Change::to).containsExactly(SmsLog.Status.DELIVERED);

      assertThat(status(db, usual)).isEqualTo("DELIVERED");
      assertThat(status(db, early)).isEqualTo("FAILED");
      assertThat(status(db, twoParts)).isEqualTo("DELIVERED");
      assertThat(rows(db)).isEqualTo(4L); // one row per part: an early receipt's row became the part's row
    }
  }

  private static String queue(SmsLog log, int parts) {
    String id = UUID.randomUUID().toString();
    return log.queue(new SmsLog.Entry(id, SmsLog.keyOf("TEST:" + id), "C-" + id, SmsKind.PROMPT, "hash", "10690000123", "text", parts,
        7, SmsLog.Status.QUEUED, null, 0, null, null, null)).smsId();
  }

  private static Object status(Database db, String smsId) {
    return one(db, "select status from sms_log where sms_id = ?", smsId);
  }

  private static Object receiptState(Database db, String messageId) {
    return one(db, "select receipt_state from sms_parts where message_id = ?", messageId);
  }

  private static Object one(Database db, String sql, String arg) {
    List<Map<String, Object>> rows = Rows.query(db, sql, arg);
    assertThat(rows).as("a row for %s", arg).hasSize(1);
    return rows.get(0).values().iterator().next();
  }

  private static long rows(Database db) {
    return ((Number) Rows.query(db, "select count(*) as n from sms_parts").get(0).get("n")).longValue();
  }
}
