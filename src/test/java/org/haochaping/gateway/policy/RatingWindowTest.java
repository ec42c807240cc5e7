package org.haochaping.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.ServiceCase;
import org.junit.jupiter.api.Test;

/** When a case's rating window closes, per profile: the expiry of its QR and SMS links. */
class RatingWindowTest {

  static final OffsetDateTime ACCEPTED = OffsetDateTime.parse("2026-11-20T09:00:00+08:00");
  static final OffsetDateTime COMPLETED = OffsetDateTime.parse("2026-11-21T10:30:00+08:00");

  static ServiceCase c(CaseStatus status) {
    return new ServiceCase("C-1", "T", "item", "D", null, "440881000000", null, null, null, null, null, CaseMode.SELF_SERVICE,
        ProjectType.IMMEDIATE, null, status, ACCEPTED, status == CaseStatus.COMPLETED ? COMPLETED : null, null, null, null);
  }

  static RatingWindow window(String profile) {
    return new RatingWindow(PolicyProfile.load(profile), WorkingDayCalendar.fromClasspath());
  }

  @Test
  void guangdongClosesSevenNaturalDaysAfterCompletion() {
    // 000 第二十条
    assertThat(window("guangdong").closesAt(c(CaseStatus.COMPLETED))).contains(COMPLETED.plusDays(7));
  }

  @Test
  void guangdongHasNoWindowBeforeCompletion() {
    assertThat(window("guangdong").closesAt(c(CaseStatus.ACCEPTED))).isEmpty();
  }

  @Test
  void guangxiCountsFromCompletionOnceCompleted() {
    // 002 第八条: 受理或服务办结后 7 个自然日
    assertThat(window("guangxi").closesAt(c(CaseStatus.COMPLETED))).contains(COMPLETED.plusDays(7));
  }

  @Test
  void guangxiCountsFromAcceptanceBeforeCompletion() {
    assertThat(window("guangxi").closesAt(c(CaseStatus.IN_PROGRESS))).contains(ACCEPTED.plusDays(7));
  }

  @Test
  void workingDaysFollowTheOfficialCalendar() {
    RatingWindow w = window("guangdong");
    // Friday 2026-10-09 + 1 working day = Saturday 2026-10-10, a 调休上班 day after National Day.
    assertThat(w.plus(OffsetDateTime.parse("2026-10-09T10:00:00+08:00"), new PolicyProfile.Span(1, PolicyProfile.Unit.WORKING_DAYS)))
        .isEqualTo(OffsetDateTime.parse("2026-10-10T10:00:00+08:00"));
    // Friday 2026-11-20 + 1 working day = Monday 2026-11-23.
    assertThat(w.plus(OffsetDateTime.parse("2026-11-20T10:00:00+08:00"), new PolicyProfile.Span(1, PolicyProfile.Unit.WORKING_DAYS)))
        .isEqualTo(OffsetDateTime.parse("2026-11-23T10:00:00+08:00"));
  }
}
