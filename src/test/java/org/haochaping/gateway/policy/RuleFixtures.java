package org.haochaping.gateway.policy;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.haochaping.gateway.model.CaseEvent;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.province.ProvinceCodeTables;

/**
 * One profile's rule objects on a fixed clock (Tue 2026-11-24 10:00 China time), with cases, ratings
 * and an in-memory history, for the table-driven rule tests.
 */
final class RuleFixtures {

  static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-24T10:00:00+08:00");
  static final Clock CLOCK = Clock.fixed(NOW.toInstant(), org.haochaping.gateway.model.ChinaTime.ZONE);

  final PolicyProfile profile;
  final WorkingDayCalendar calendar = WorkingDayCalendar.fromClasspath();
  final Deadlines deadlines = new Deadlines(calendar);
  final RatingPolicy policy;
  final LifecyclePolicy lifecycle;
  final RatingScope scope;
  final WorkOrderPolicy workOrders;
  final AppealPolicy appeals;
  final History history = new History();

  RuleFixtures(String name) {
    profile = PolicyProfile.load(name);
    policy = new RatingPolicy(profile, ProvinceCodeTables.load(profile.codes()), CLOCK, calendar);
    lifecycle = new LifecyclePolicy(profile, deadlines);
    scope = new RatingScope(profile);
    workOrders = new WorkOrderPolicy(profile, deadlines);
    appeals = new AppealPolicy(profile, deadlines);
  }

  static OffsetDateTime at(String isoLocal) {
    return OffsetDateTime.parse(isoLocal + "+08:00");
  }

  static ServiceCase windowCase(String caseNo, CaseStatus status) {
    return serviceCase(caseNo, "T-100", CaseMode.WINDOW, ProjectType.IMMEDIATE, status, null, null);
  }

  static ServiceCase onlineCase(String caseNo, CaseStatus status) {
    return serviceCase(caseNo, "T-100", CaseMode.ONLINE, ProjectType.IMMEDIATE, status, null, null);
  }

  static ServiceCase serviceCase(String caseNo, String taskCode, CaseMode mode, ProjectType type, CaseStatus status, String visitId,
      String themeId) {
    return new ServiceCase(caseNo, taskCode, "事项" + taskCode, "D-" + taskCode, "部门", "440881000000", "H1", "12",
        mode == CaseMode.WINDOW ? "S1" : null, null, null, mode, type, null, status, NOW.minusDays(2),
        status == CaseStatus.COMPLETED ? NOW.minusDays(1) : null, type == ProjectType.PROMISED ? 5 : null, visitId, themeId);
  }

  static Rating rating(String caseNo, Level level, TargetType type) {
    return rating(caseNo, 1, Stage.OVERALL, level, type, null, List.of(), null);
  }

  static Rating rating(String caseNo, int assessNumber, Stage stage, Level level, TargetType type, String visitId, List<String> tags,
      String comment) {
    return new Rating("r-" + caseNo + "-" + assessNumber + "-" + stage + "-" + type + "-" + visitId, null, caseNo, assessNumber, stage,
        Channel.PORTAL, level, level.score(), tags, comment, new Target(type, null, null, null, "S1", null, null, null, null),
        null, visitId, NOW.minusMinutes(5), NOW, false);
  }

  static CaseEvent completion(String caseNo, OffsetDateTime at) {
    return new CaseEvent(caseNo, CaseStatus.ACCEPTED, CaseStatus.COMPLETED, at, CaseMode.WINDOW, "H1", "12", "S1", null, null);
  }

  static CaseEvent arrival(String caseNo, CaseStatus status, OffsetDateTime at) {
    return new CaseEvent(caseNo, null, status, at, CaseMode.WINDOW, "H1", "12", "S1", null, null);
  }

  static List<String> rules(List<Violation> violations) {
    return violations.stream().map(Violation::rule).toList();
  }

  /** What the gateway accepted before, kept in memory. */
  static final class History implements RatingHistory {
    final Map<String, Claimed> keys = new HashMap<>();
    final List<ServiceCase> cases = new ArrayList<>();

    History claim(Rating r, OffsetDateTime at) {
      keys.put(RatingIdentity.naturalKey(r), new Claimed(r.ratingId(), at));
      return this;
    }

    History add(ServiceCase... more) {
      cases.addAll(List.of(more));
      return this;
    }

    @Override
    public Optional<Claimed> claimed(String naturalKey) {
      return Optional.ofNullable(keys.get(naturalKey));
    }

    @Override
    public List<String> batchSiblings(ServiceCase c) {
      return cases.stream().filter(o -> c.visitId() != null && c.visitId().equals(o.visitId()) && c.taskCode().equals(o.taskCode())
          && !o.caseNo().equals(c.caseNo())).map(ServiceCase::caseNo).toList();
    }

    @Override
    public List<String> themeMembers(String themeId) {
      return cases.stream().filter(o -> themeId.equals(o.themeId())).map(ServiceCase::caseNo).toList();
    }
  }
}
