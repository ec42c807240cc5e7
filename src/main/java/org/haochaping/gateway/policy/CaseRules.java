package org.haochaping.gateway.policy;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.province.ProvinceCodeTables;

/** Rules a case (办件) must meet beyond its schema: dates in order, codes known, ID numbers valid. */
public final class CaseRules {

  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String ID_CHECK = "10X98765432";

  private final ProvinceCodeTables codes;
  private final Clock clock;

  public CaseRules(ProvinceCodeTables codes, Clock clock) {
    this.codes = codes;
    this.clock = clock;
  }

  /** Every rule {@code c} breaks, given what the gateway already holds ({@code existing}, or null). */
  public List<Violation> check(ServiceCase c, ServiceCase existing) {
    List<Violation> out = new ArrayList<>();
    OffsetDateTime now = OffsetDateTime.now(clock);
    if (c.acceptedAt() != null && c.acceptedAt().isAfter(now.plus(RatingPolicy.CLOCK_SKEW))) {
      out.add(Violation.invalid("acceptedAt", "notInFuture", "受理时间不能晚于当前时间", "acceptedAt must not be in the future"));
    }
    if (c.status() == CaseStatus.COMPLETED && c.completedAt() == null) {
      out.add(Violation.invalid("completedAt", "requiredWhenCompleted", "已办结的办件必须提供办结时间 completedAt",
          "completedAt is required when status is COMPLETED"));
    }
    if (c.completedAt() != null && c.acceptedAt() != null && c.completedAt().isBefore(c.acceptedAt())) {
      out.add(Violation.invalid("completedAt", "afterAcceptance", "办结时间不能早于受理时间", "completedAt must not be before acceptedAt"));
    }
    if (c.projectType() == ProjectType.PROMISED && c.promiseDays() == null) {
      out.add(Violation.invalid("promiseDays", "requiredForPromised", "承诺件必须提供承诺时限 promiseDays",
          "promiseDays is required for a PROMISED case"));
    }
    out.addAll(checkPerson(c.applicant(), "applicant"));
    if (existing != null && c.status() != null && existing.status() != null && c.status().compareTo(existing.status()) < 0) {
      out.add(Violation.notAllowed("status", "noStepBack",
          "办件 " + c.caseNo() + " 已是“" + existing.status().label() + "”，状态不能回退为“" + c.status().label() + "”",
          "case " + c.caseNo() + " is already " + existing.status() + " and cannot go back to " + c.status()));
    }
    return out;
  }

  /** The codes and ID number of an applicant or evaluator; {@code field} names it in the violations. */
  public List<Violation> checkPerson(Person p, String field) {
    List<Violation> out = new ArrayList<>();
    if (p == null) {
      return out;
    }
    if (p.userProp() != null && !codes.isUserProp(p.userProp())) {
      out.add(Violation.invalid(field + ".userProp", "knownCode", "评价人类型 " + p.userProp() + " 不在代码表中",
          "userProp " + p.userProp() + " is not in the code table"));
    }
    if (p.idType() != null && !codes.isIdType(p.idType())) {
      out.add(Violation.invalid(field + ".idType", "knownCode", "证件类型 " + p.idType() + " 不在代码表中",
          "idType " + p.idType() + " is not in the code table"));
    }
    if ("111".equals(p.idType()) && p.idNo() != null && !isResidentIdNumber(p.idNo())) {
      // GB 11643-1999: 18 characters, the last a checksum.
      out.add(Violation.invalid(field + ".idNo", "residentIdChecksum", "居民身份证号码应为18位且校验位正确",
          "a resident ID number must have 18 characters and a valid check digit"));
    }
    return out;
  }

  /** GB 11643-1999 citizen identification number: 17 digits and an ISO 7064 MOD 11-2 check character. */
  public static boolean isResidentIdNumber(String id) {
    if (id == null || id.length() != 18) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      char ch = id.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
      sum += (ch - '0') * ID_WEIGHTS[i];
    }
    return Character.toUpperCase(id.charAt(17)) == ID_CHECK.charAt(sum % 11);
  }
}
