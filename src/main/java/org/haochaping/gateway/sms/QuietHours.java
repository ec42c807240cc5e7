package org.haochaping.gateway.sms;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * Hours in which the gateway sends nothing a citizen did not ask for (prompts, reminders, work-order
 * feedback): by default 21:00-08:00 in China. A window may cross midnight. Not in either
 * regulation; it is what carriers and the 12345 hotline practise, and a reminder at 23:00 would
 * not get a better rating.
 */
public record QuietHours(LocalTime start, LocalTime end) {

  public QuietHours {
    if (start.equals(end)) {
      throw new IllegalArgumentException("quiet hours must not start and end at the same time: " + start);
    }
  }

  /** {@code "21:00-08:00"}. */
  public static QuietHours parse(String text) {
    String[] parts = text.strip().split("-");
    if (parts.length != 2) {
      throw new IllegalArgumentException("hcp.sms.quietHours must look like 21:00-08:00, was '" + text + "'");
    }
    try {
      return new QuietHours(LocalTime.parse(parts[0].strip()), LocalTime.parse(parts[1].strip()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("hcp.sms.quietHours must look like 21:00-08:00, was '" + text + "'");
    }
  }

  /** True when {@code at} lies in the quiet hours (start inclusive, end exclusive). */
  public boolean isQuiet(Instant at, ZoneId zone) {
    LocalTime t = at.atZone(zone).toLocalTime();
    return start.isBefore(end)
        ? !t.isBefore(start) && t.isBefore(end)
        : !t.isBefore(start) || t.isBefore(end);
  }

  /** {@code at} itself when sending is allowed then, otherwise the end of the quiet hours it is in. */
  public Instant nextAllowed(Instant at, ZoneId zone) {
    if (!isQuiet(at, zone)) {
      return at;
    }
    ZonedDateTime local = at.atZone(zone);
    ZonedDateTime end = local.with(this.end).withSecond(0).withNano(0);
    if (!end.isAfter(local)) {
      end = end.plusDays(1);
    }
    return end.toInstant();
  }

  @Override
  public String toString() {
    return start + "-" + end;
  }
}
