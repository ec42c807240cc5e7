package org.haochaping.gateway.sms;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * How the gateway talks to the SMSC and what it sends, read once from {@code connectors/smsc.properties}
 * (keys {@code hcp.smsc.*} for the link, {@code hcp.sms.*} for the messages), where every key may be
 * overridden by a property of the same name and secrets come from environment variables.
 *
 * @param host the SMSC; empty = start the built-in simulator
 * @param serviceNumber source_addr of every SMS; replies come back to it, plus the extension
 * @param extensionDigits digits appended to the service number per case (扩展码); 0 = none
 * @param tps submit_sm per second at most (0 = no limit)
 * @param windowSize submit_sm awaiting submit_sm_resp at once
 * @param senders threads taking SMS from the outbox (and handling receipts): more than the window,
 *     so that while some wait for the SMS log's commit others keep the window full
 * @param quietHours when prompts, reminders and feedback wait; null = never
 */
public record SmsSettings(
    String host,
    int port,
    String systemId,
    String password,
    String systemType,
    int simPort,
    int simControlPort,
    String serviceNumber,
    int extensionDigits,
    byte sourceTon,
    byte sourceNpi,
    byte destTon,
    byte destNpi,
    int tps,
    int windowSize,
    int senders,
    Duration enquireLink,
    Duration transactionTimer,
    Duration bindTimeout,
    Duration reconnectInitial,
    Duration reconnectMax,
    byte registeredDelivery,
    Duration validity,
    int maxAttempts,
    Set<Integer> permanentStatuses,
    String signature,
    QuietHours quietHours,
    ZoneId zone,
    Duration promptDelay,
    Duration windowPromptDelay,
    int scheduleBatch,
    int autoRepliesPerDay,
    String publicBaseUrl) {

  public SmsSettings {
    permanentStatuses = Set.copyOf(permanentStatuses);
    if (extensionDigits < 0 || extensionDigits > 6) {
      throw new IllegalArgumentException("hcp.smsc.extensionDigits must be 0..6, was " + extensionDigits);
    }
    if (serviceNumber.isBlank() || !serviceNumber.matches("\\+?[0-9]{1,20}")
        || serviceNumber.length() + extensionDigits > 20) {
      throw new IllegalArgumentException("hcp.smsc.serviceNumber must be digits, with its extension at most 20 (SMPP source_addr), was '"
          + serviceNumber + "'");
    }
    if (tps < 0 || windowSize < 1 || senders < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("hcp.smsc.tps >= 0, hcp.smsc.windowSize >= 1, hcp.smsc.senders >= 1 and hcp.smsc.maxAttempts >= 1");
    }
    if (password != null && password.length() > 8) {
      // SMPP 3.4 §4.1.1: password is a C-Octet String of at most 9 octets with its NUL.
      throw new IllegalArgumentException("hcp.smsc.password (HCP_SMSC_PASSWORD) must be at most 8 characters (SMPP 3.4)");
    }
    if (systemId != null && systemId.length() > 15) {
      throw new IllegalArgumentException("hcp.smsc.systemId (HCP_SMSC_SYSTEM_ID) must be at most 15 characters (SMPP 3.4)");
    }
  }

  /** True when no SMSC is configured: the gateway runs the built-in simulator. */
  public boolean simulated() {
    return host == null || host.isBlank();
  }

  /** The same settings pointed at another SMSC account (the built-in simulator). */
  public SmsSettings withSmsc(String newHost, int newPort, String newSystemId, String newPassword) {
    return new SmsSettings(newHost, newPort, newSystemId, newPassword, systemType, simPort, simControlPort, serviceNumber,
        extensionDigits,
        sourceTon, sourceNpi, destTon, destNpi, tps, windowSize, senders, enquireLink, transactionTimer, bindTimeout, reconnectInitial,
        reconnectMax, registeredDelivery, validity, maxAttempts, permanentStatuses, signature, quietHours, zone, promptDelay,
        windowPromptDelay, scheduleBatch, autoRepliesPerDay, publicBaseUrl);
  }

  /** Reads the settings through {@code property}, which answers a key's resolved value or null. */
  public static SmsSettings read(Function<String, String> property, String defaultBaseUrl) {
    Reader r = new Reader(property);
    String quiet = r.text("hcp.sms.quietHours", "");
    ZoneId zone = ZoneId.of(r.text("hcp.sms.zone", "Asia/Shanghai"));
    String baseUrl = r.text("hcp.public.baseUrl", defaultBaseUrl);
    return new SmsSettings(
        r.text("hcp.smsc.host", ""),
        r.number("hcp.smsc.port", 2775),
        r.text("hcp.smsc.systemId", ""),
        r.text("hcp.smsc.password", ""),
        r.text("hcp.smsc.systemType", ""),
        r.number("hcp.smsc.sim.port", 2775),
        r.number("hcp.smsc.sim.controlPort", -1),
        r.text("hcp.smsc.serviceNumber", "10690000123"),
        r.number("hcp.smsc.extensionDigits", 2),
        (byte) r.number("hcp.smsc.sourceTon", 0),
        (byte) r.number("hcp.smsc.sourceNpi", 0),
        (byte) r.number("hcp.smsc.destTon", 0),
        (byte) r.number("hcp.smsc.destNpi", 1),
        r.number("hcp.smsc.tps", 50),
        r.number("hcp.smsc.windowSize", 8),
        r.number("hcp.smsc.senders", 32),
        Duration.ofMillis(r.number("hcp.smsc.enquireLinkMillis", 30_000)),
        Duration.ofMillis(r.number("hcp.smsc.transactionMillis", 10_000)),
        Duration.ofMillis(r.number("hcp.smsc.bindTimeoutMillis", 10_000)),
        Duration.ofMillis(r.number("hcp.smsc.reconnect.initialMillis", 500)),
        Duration.ofMillis(r.number("hcp.smsc.reconnect.maxMillis", 30_000)),
        (byte) r.number("hcp.smsc.registeredDelivery", 1),
        Duration.ofMinutes(r.number("hcp.smsc.validityMinutes", 1440)),
        r.number("hcp.smsc.maxAttempts", 8),
        statuses(r.text("hcp.smsc.permanentStatuses", "")),
        r.text("hcp.sms.signature", "政务服务好差评"),
        quiet.isBlank() ? null : QuietHours.parse(quiet),
        zone,
        Duration.ofSeconds(r.number("hcp.sms.prompt.delaySeconds", 60)),
        Duration.ofSeconds(r.number("hcp.sms.prompt.windowDelaySeconds", 1800)),
        r.number("hcp.sms.schedule.batch", 200),
        r.number("hcp.sms.autoRepliesPerDay", 3),
        baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
  }

  static Set<Integer> statuses(String list) {
    Set<Integer> out = new LinkedHashSet<>();
    for (String s : list.split(",")) {
      String v = s.strip().toLowerCase(Locale.ROOT);
      if (v.isEmpty()) {
        continue;
      }
      try {
        out.add(v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("hcp.smsc.permanentStatuses: '" + s.strip() + "' is not a number (hex 0x.. or decimal)");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    // never print the password
    return "SmsSettings[" + (simulated() ? "built-in simulator" : host + ":" + port) + ", system_id " + systemId
        + ", service number " + serviceNumber + ", tps " + (tps == 0 ? "unlimited" : tps) + ", window " + windowSize
        + ", senders " + senders + "]";
  }

  private record Reader(Function<String, String> property) {
    String text(String key, String fallback) {
      String v = property.apply(key);
      return v == null || v.isBlank() ? fallback : v.strip();
    }

    int number(String key, int fallback) {
      String v = text(key, "");
      if (v.isEmpty()) {
        return fallback;
      }
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "'");
      }
    }
  }
}
