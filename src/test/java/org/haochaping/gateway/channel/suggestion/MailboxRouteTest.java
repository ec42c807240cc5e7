package org.haochaping.gateway.channel.suggestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.Rows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hall's mailbox over real IMAP (GreenMail): a mail naming a case and a level becomes a
 * MAILBOX rating of it; a mail naming none is kept as the hall's feedback.
 */
@Tag("db")
class MailboxRouteTest extends GatewayTestSupport {

  private static final String ADDRESS = "hcp@lianjiang.gov.cn";
  private GreenMail mail;

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = super.useOverridePropertiesWithPropertiesComponent();
    try {
      if (mail == null) {
        mail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        mail.start();
        mail.setUser(ADDRESS, "hcp", "mail-secret");
      }
      int port = mail.getImap().getPort();
      p.setProperty("mailbox.protocol", "imap");
      p.setProperty("mailbox.host", "127.0.0.1");
      p.setProperty("mailbox.port", Integer.toString(port));
      p.setProperty("mailbox.username", "hcp");
      p.setProperty("mailbox.password", "mail-secret");
      p.setProperty("mailbox.pollMillis", "200");
      p.setProperty("mailbox.hallCode", "LJ-ZWFW-01");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  @AfterAll
  void stopMail() {
    if (mail != null) {
      mail.stop();
    }
  }

  private void deliver(String subject, String text) throws Exception {
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
    m.setFrom(new InternetAddress("citizen@example.com"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(ADDRESS));
    m.setSubject(subject, "UTF-8");
    m.setText(text, "UTF-8");
    m.saveChanges();
    mail.getUserManager().getUserByEmail(ADDRESS).deliver(m);
  }

  @Test
  void aMailNamingACaseBecomesAMailboxRating() throws Exception {
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase("MAIL-1")).status()).isEqualTo(201);
    deliver("对办件的评价", "办件编号：MAIL-1\n评价：不满意\n标签：519\n取号后等了一个多小时才办上。\n");
    Database db = bean("database", Database.class);
    Map<String, Object> row = await().atMost(Duration.ofSeconds(20))
        .until(() -> Rows.query(db, "select * from ratings where case_no = ?", "MAIL-1"), r -> r.size() == 1).get(0);
    assertThat(row).containsEntry("channel", "MAILBOX").containsEntry("level", "DISSATISFIED").containsEntry("tags", "519");
    assertThat((String) row.get("comment_text")).contains("取号后等了一个多小时才办上");
  }

  @Test
  void aMailNamingNoCaseIsTheHallsFeedback() throws Exception {
    deliver("建议", "大厅停车位太少，建议增加。");
    Database db = bean("database", Database.class);
    Map<String, Object> row = await().atMost(Duration.ofSeconds(20))
        .until(() -> Rows.query(db, "select * from channel_feedback where channel = 'MAILBOX'"), r -> !r.isEmpty()).get(0);
    assertThat(row).containsEntry("hall_code", "LJ-ZWFW-01").containsEntry("source", "MAILBOX");
    assertThat((String) row.get("comment_text")).contains("停车位太少");
  }
}
