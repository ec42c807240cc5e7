package org.haochaping.gateway.channel.suggestion;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The hall's mailbox as connectors/mailbox.properties configures it (keys {@code mailbox.*}, from
 * HCP_MAILBOX_* variables). Polling is off unless a host is set.
 */
public record Mailbox(String protocol, String host, int port, String username, String password, String folder, long pollMillis,
    String hallCode, String deptCode) {

  public static Mailbox from(Function<String, String> property) {
    String protocol = or(property.apply("mailbox.protocol"), "imaps");
    if (!protocol.equals("imap") && !protocol.equals("imaps")) {
      throw new IllegalArgumentException("mailbox.protocol (HCP_MAILBOX_PROTOCOL) must be imap or imaps, was " + protocol);
    }
    return new Mailbox(protocol, property.apply("mailbox.host"), Integer.parseInt(or(property.apply("mailbox.port"), "993")),
        property.apply("mailbox.username"), property.apply("mailbox.password"), or(property.apply("mailbox.folder"), "INBOX"),
        Long.parseLong(or(property.apply("mailbox.pollMillis"), "60000")), property.apply("mailbox.hallCode"),
        property.apply("mailbox.deptCode"));
  }

  public boolean enabled() {
    return host != null && !host.isBlank();
  }

  /**
   * The camel-mail consumer: unread mails only, left in the mailbox and marked read once handled
   * ({@code peek}: a mail whose handling failed stays unread and is read again).
   */
  public String uri() {
    if (!enabled()) {
      // The route is not started (mailbox.enabled=false); an endpoint that needs nothing outside.
      return "direct:mailbox-not-configured";
    }
    return protocol + "://" + host + ":" + port + "?username=" + URLEncoder.encode(username == null ? "" : username, StandardCharsets.UTF_8)
        + "&password=RAW(" + (password == null ? "" : password) + ")&folderName=" + URLEncoder.encode(folder, StandardCharsets.UTF_8)
        + "&unseen=true&delete=false&peek=true&delay=" + pollMillis + "&initialDelay=" + Math.min(pollMillis, 1000)
        + "&maxMessagesPerPoll=100&mapMailMessage=true";
  }

  /** For logs: no password. */
  public String describe() {
    return enabled() ? protocol + "://" + username + "@" + host + ":" + port + "/" + folder : "-";
  }

  private static String or(String v, String fallback) {
    return v == null || v.isBlank() ? fallback : v;
  }
}
