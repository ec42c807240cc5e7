package org.haochaping.gateway.integrity;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.policy.WorkingDayCalendar;

/** Signal (5): whether a hall is open at a moment (China time), with the grace either side; pure. */
final class OpeningHoursCheck {

  private OpeningHoursCheck() {}

  static boolean open(IntegrityRules.OpeningHours hours, String hallCode, OffsetDateTime at, WorkingDayCalendar calendar) {
    IntegrityRules.Hours h = hours.of(hallCode);
    LocalDateTime local = ChinaTime.of(at).toLocalDateTime();
    if (h.days() == IntegrityRules.Days.WORKING_DAYS && !calendar.isWorkingDay(local.toLocalDate())) {
      return false;
    }
    LocalDateTime opens = local.toLocalDate().atTime(h.opens()).minus(hours.grace());
    LocalDateTime closes = local.toLocalDate().atTime(h.closes()).plus(hours.grace());
    return !local.isBefore(opens) && !local.isAfter(closes);
  }
}
