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
    return new RatingWindow(PolicyProfile.load(profile), new Deadlines(WorkingDayCalendar.fromClasspath()));
  }

  @Test
  void guangdongClosesSevenNaturalDaysAfterCompletion() {
    // 000 第二十条: the completion day does not count; the 7th day ends at 24:00 (民法典 第二百零一条, 第二百零三条).
    assertThat(window("guangdong").closesAt(c(CaseStatus.COMPLETED))).contains(OffsetDateTime.parse("2026-11-29T00:00:00+08:00"));
  }

  @Test
  void guangdongHasNoWindowBeforeCompletion() {
    assertThat(window("guangdong").closesAt(c(CaseStatus.ACCEPTED))).isEmpty();
  }

  @Test
  void guangxiCountsFromCompletionOnceCompleted() {
    // 002 第八条: 受理或服务办结后 7 个自然日
    assertThat(window("guangxi").closesAt(c(CaseStatus.COMPLETED))).contains(OffsetDateTime.parse("2026-11-29T00:00:00+08:00"));
  }

  @Test
  void guangxiCountsFromAcceptanceBeforeCompletion() {
    assertThat(window("guangxi").closesAt(c(CaseStatus.IN_PROGRESS))).contains(OffsetDateTime.parse("2026-11-28T00:00:00+08:00"));
  }

  @Test
  void theWindowClosesWhenTheLifecycleGivesTheDefaultRating() {
    for (String profile : new String[] {"guangdong", "guangxi"}) {
      Deadlines deadlines = new Deadlines(WorkingDayCalendar.fromClasspath());
      LifecyclePolicy lifecycle = new LifecyclePolicy(PolicyProfile.load(profile), deadlines);
      assertThat(window(profile).closesAt(c(CaseStatus.COMPLETED))).contains(lifecycle.ratingWindowEnd(COMPLETED));
    }
  }
}
