package org.haochaping.gateway.channel.suggestion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hall's public mailbox (000 第十二条 电子邮箱, 第十六条), polled over IMAP (route ingest-mailbox,
 * connectors/mailbox.properties). A mail is one entry: lines such as {@code 办件编号：LJ2026...},
 * {@code 评价：不满意}, {@code 标签：510,517}, {@code 大厅：...}, {@code 窗口：12} are read as fields, the rest
 * of the text (and the subject) is the comment. A mail naming a case becomes a MAILBOX rating of it;
 * any other mail is kept as feedback for the mailbox's hall. A mail the rules refuse as a rating
 * (unknown case, 不满意 without reason...) is kept as feedback too, so that nothing sent is lost.
 */
public final class MailSuggestions {

  private static final Logger LOG = LoggerFactory.getLogger(MailSuggestions.class);
  private static final Pattern FIELD = Pattern.compile("^\\s*([^:：]{1,8})\\s*[:：]\\s*(.*?)\\s*$");
  static final Map<String, String> KEYS = Map.ofEntries(
      Map.entry("办件编号", "caseNo"), Map.entry("办件号", "caseNo"), Map.entry("caseNo", "caseNo"),
      Map.entry("评价", "level"), Map.entry("满意度", "level"), Map.entry("level", "level"),
      Map.entry("标签", "tags"), Map.entry("tags", "tags"),
      Map.entry("大厅", "hallCode"), Map.entry("hallCode", "hallCode"),
      Map.entry("窗口", "windowNo"), Map.entry("windowNo", "windowNo"),
      Map.entry("部门", "deptCode"), Map.entry("deptCode", "deptCode"));

  private final SuggestionIntake intake;
  private final String hallCode;
  private final String deptCode;

  public MailSuggestions(SuggestionIntake intake, String hallCode, String deptCode) {
    this.intake = intake;
    this.hallCode = blank(hallCode) ? null : hallCode.strip();
    this.deptCode = blank(deptCode) ? null : deptCode.strip();
  }

  public SuggestionIntake.Result accept(Exchange exchange) throws MessagingException, IOException {
    Message mail = exchange.getMessage(MailMessage.class).getMessage();
    String id = mail instanceof MimeMessage mime && mime.getMessageID() != null ? mime.getMessageID() : null;
    ObjectNode entry = entry(mail.getSubject(), text(mail), id);
    SuggestionIntake.Result r = intake.accept(entry);
    if (r.kind() == SuggestionIntake.Result.Kind.UNAVAILABLE) {
      // Not marked as read: the next poll reads it again.
      throw new StoreException("mail " + id + " not stored for now: " + r.reason(), null);
    }
    if (r.kind() == SuggestionIntake.Result.Kind.REFUSED && entry.has("caseNo")) {
      LOG.warn("Mail {} names case {} but is not a valid rating ({}); kept as feedback", id, entry.get("caseNo").asText(), r.reason());
      entry.put("comment", (entry.has("comment") ? entry.get("comment").asText() + "\n" : "") + "[办件编号 " + entry.get("caseNo").asText() + "]");
      entry.remove("caseNo");
      entry.remove("tags");
      if (!entry.has("hallCode") && !entry.has("deptCode")) {
        entry.put("hallCode", "MAILBOX");
      }
      r = intake.accept(entry);
    }
    LOG.info("Mail {} -> {}", id, r.kind());
    return r;
  }

  /** The entry a mail makes. */
  ObjectNode entry(String subject, String body, String messageId) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("source", "MAILBOX");
    List<String> comment = new ArrayList<>();
    if (!blank(subject)) {
      comment.add(subject.strip());
    }
    for (String line : (body == null ? "" : body).split("\\R")) {
      Matcher m = FIELD.matcher(line);
      String key = m.matches() ? KEYS.get(m.group(1).strip()) : null;
      if (key != null && !e.has(key)) {
        e.put(key, m.group(2));
      } else if (!line.isBlank()) {
        comment.add(line.strip());
      }
    }
    if (!comment.isEmpty()) {
      String text = String.join("\n", comment);
      e.put("comment", text.length() > 2000 ? text.substring(0, 2000) : text);
    }
    if (!e.has("hallCode") && hallCode != null) {
      e.put("hallCode", hallCode);
    }
    if (!e.has("deptCode") && deptCode != null) {
      e.put("deptCode", deptCode);
    }
    if (messageId != null) {
      e.put("ref", messageId.replaceAll("[<>\\s]", ""));
    }
    return e;
  }

  /** The text of a mail: its text/plain part, else its HTML without tags. */
  static String text(jakarta.mail.Part part) throws MessagingException, IOException {
    Object content = part.getContent();
    if (content instanceof String s) {
      return part.isMimeType("text/html") ? s.replaceAll("(?s)<[^>]*>", " ") : s;
    }
    if (content instanceof Multipart multi) {
      String html = null;
      for (int i = 0; i < multi.getCount(); i++) {
        BodyPart p = multi.getBodyPart(i);
        if (p.isMimeType("text/plain")) {
          return (String) p.getContent();
        }
        if (p.isMimeType("multipart/*")) {
          String inner = text(p);
          if (inner != null) {
            return inner;
          }
        }
        if (p.isMimeType("text/html") && html == null) {
          html = text(p);
        }
      }
      return html;
    }
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
