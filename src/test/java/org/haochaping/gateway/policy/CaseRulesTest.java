package org.haochaping.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.province.ProvinceCodeTables;
import org.junit.jupiter.api.Test;

class CaseRulesTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T02:00:00Z"), ChinaTime.ZONE);
  private static final OffsetDateTime NOW = OffsetDateTime.now(CLOCK);
  private final CaseRules rules = new CaseRules(ProvinceCodeTables.load("guangdong"), CLOCK);

  private static ServiceCase c(CaseStatus status, OffsetDateTime accepted, OffsetDateTime completed, Person applicant) {
    return new ServiceCase("C1", "T", "I", "D", null, "440881000000", null, null, null, null, null, CaseMode.ONLINE,
        ProjectType.IMMEDIATE, applicant, status, accepted, completed, null, null, null);
  }

  @Test
  void residentIdNumberNeedsItsCheckDigit() {
    // GB 11643-1999, ISO 7064 MOD 11-2
    assertThat(CaseRules.isResidentIdNumber("440881199001011233")).isTrue();
    assertThat(CaseRules.isResidentIdNumber("440881199001011232")).isFalse();
    assertThat(CaseRules.isResidentIdNumber("11010519491231002X")).isTrue();
    assertThat(CaseRules.isResidentIdNumber("11010519491231002x")).isTrue();
    assertThat(CaseRules.isResidentIdNumber("4408811990010112")).isFalse();
  }

  @Test
  void completedCaseNeedsItsCompletionTime() {
    assertThat(rules.check(c(CaseStatus.COMPLETED, NOW.minusDays(1), null, null), null))
        .extracting(Violation::rule).containsExactly("requiredWhenCompleted");
  }

  @Test
  void completionCannotPrecedeAcceptance() {
    assertThat(rules.check(c(CaseStatus.COMPLETED, NOW.minusDays(1), NOW.minusDays(2), null), null))
        .extracting(Violation::rule).containsExactly("afterAcceptance");
  }

  @Test
  void statusNeverGoesBack() {
    ServiceCase done = c(CaseStatus.COMPLETED, NOW.minusDays(2), NOW.minusDays(1), null);
    assertThat(rules.check(c(CaseStatus.ACCEPTED, NOW.minusDays(2), null, null), done))
        .extracting(Violation::kind).containsExactly(Violation.Kind.NOT_ALLOWED);
  }

  @Test
  void applicantCodesComeFromTheProvinceTables() {
    Person p = new Person("张三", "999", "440881199001011233", "13812340000", "7");
    assertThat(rules.check(c(CaseStatus.ACCEPTED, NOW, null, p), null)).extracting(Violation::field)
        .containsExactlyInAnyOrder("applicant.userProp", "applicant.idType");
  }
}
