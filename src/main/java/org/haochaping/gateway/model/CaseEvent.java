package org.haochaping.gateway.model;

import java.time.OffsetDateTime;

/**
 * A case moved on (or arrived): published durably on the broker address {@code case-events} so
 * that prompts (evaluator, SMS) and timers (reminder, default rating) start from one place.
 * Carries no personal data; consumers read the case from the store when they need the applicant.
 */
public record CaseEvent(
    String caseNo,
    CaseStatus from,
    CaseStatus to,
    OffsetDateTime at,
    CaseMode mode,
    String hallCode,
    String windowNo,
    String staffId,
    String visitId,
    String themeId) {

  public static CaseEvent of(ServiceCase before, ServiceCase after, OffsetDateTime at) {
    return new CaseEvent(after.caseNo(), before == null ? null : before.status(), after.status(), at, after.mode(),
        after.hallCode(), after.windowNo(), after.staffId(), after.visitId(), after.themeId());
  }

  /** True when this event is the case's completion (000 第二十条: the clock for reminders and defaults starts). */
  public boolean isCompletion() {
    return to == CaseStatus.COMPLETED && from != CaseStatus.COMPLETED;
  }
}
