package org.haochaping.gateway.policy;

import static org.haochaping.gateway.model.WorkOrderState.CLOSED;
import static org.haochaping.gateway.model.WorkOrderState.MALICIOUS;
import static org.haochaping.gateway.model.WorkOrderState.PENDING_VERIFICATION;
import static org.haochaping.gateway.model.WorkOrderState.RECTIFIED;
import static org.haochaping.gateway.model.WorkOrderState.RECTIFYING;
import static org.haochaping.gateway.model.WorkOrderState.REVISITED;
import static org.haochaping.gateway.model.WorkOrderState.UNFOUNDED;
import static org.haochaping.gateway.model.WorkOrderState.VERIFIED;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.haochaping.gateway.model.AppealReason;
import org.haochaping.gateway.model.WorkOrderState;

/**
 * The 差评工单 of one profile: its states, the transitions allowed between them, its deadlines and
 * when it is overdue.
 *
 * <pre>
 * 待核实 ─┬─> 属实 ──> 整改中 ──> 已整改 ──> 已回访 ──> 办结
 *         ├─> 不属实 ────────────────────────────────> 办结
 *         └─> 恶意评价 ──────────────────────────────> 办结
 * </pre>
 * 000 第二十三条: the service center verifies (核实) the order and passes it to the agency, which
 * rectifies within 10 working days of receiving it and feeds the result back to the evaluator; the
 * center reports the verified result within 5 working days for 审核办结. 第二十四条: 回访抽查.
 * 002 第十四条: a bad rating found true (查实) is rectified within 15 natural days, or the agency
 * explains why and by when, and the result is fed back to the evaluator.
 */
public final class WorkOrderPolicy {

  private static final Map<WorkOrderState, List<WorkOrderState>> NEXT = new EnumMap<>(WorkOrderState.class);

  static {
    NEXT.put(PENDING_VERIFICATION, List.of(VERIFIED, UNFOUNDED, MALICIOUS));
    NEXT.put(VERIFIED, List.of(RECTIFYING));
    NEXT.put(RECTIFYING, List.of(RECTIFIED));
    NEXT.put(RECTIFIED, List.of(REVISITED));
    NEXT.put(REVISITED, List.of(CLOSED));
    NEXT.put(UNFOUNDED, List.of(CLOSED));
    NEXT.put(MALICIOUS, List.of(CLOSED));
    NEXT.put(CLOSED, List.of());
  }

  private final PolicyProfile profile;
  private final Deadlines deadlines;

  public WorkOrderPolicy(PolicyProfile profile, Deadlines deadlines) {
    this.profile = profile;
    this.deadlines = deadlines;
  }

  /** The states a work order in {@code from} may move to. */
  public List<WorkOrderState> next(WorkOrderState from) {
    return NEXT.get(from);
  }

  /** Why a work order in {@code from} cannot move to {@code to}; null when it can. */
  public Violation checkTransition(WorkOrderState from, WorkOrderState to) {
    if (next(from).contains(to)) {
      return null;
    }
    String allowed = next(from).isEmpty() ? "（无，已办结）" : next(from).stream().map(s -> s.name() + " " + s.label()).collect(Collectors.joining("、"));
    String allowedEn = next(from).isEmpty() ? "none, it is closed" : next(from).stream().map(Enum::name).collect(Collectors.joining(", "));
    return Violation.notAllowed("to", "invalidTransition",
        "工单当前状态为“" + from.label() + "”（" + from.name() + "），不能转为“" + to.label() + "”（" + to.name() + "）；可转为：" + allowed,
        "the work order is " + from.name() + " and cannot move to " + to.name() + "; allowed: " + allowedEn);
  }

  /** What a transition must carry: the rectification result (整改结果) to RECTIFIED, a reason to 不属实/恶意评价. */
  public List<Violation> checkFields(WorkOrderState to, String result, String notes) {
    List<Violation> out = new ArrayList<>();
    if (to == RECTIFIED && blank(result)) {
      // 000 第二十三条 / 002 第十四条: 整改结果反馈给评价人.
      out.add(Violation.invalid("result", "requiredWhenRectified", "转为“已整改”须填写整改结果 result，它将反馈给评价人",
          "result (the rectification result, fed back to the evaluator) is required to move to RECTIFIED"));
    }
    if ((to == UNFOUNDED || to == MALICIOUS) && blank(notes)) {
      out.add(Violation.invalid("notes", "requiredWhenRejected", "核实为“" + to.label() + "”须在 notes 中说明核实情况",
          "notes (the verification findings) are required to move to " + to.name()));
    }
    return out;
  }

  /** When a verified order must be rectified: 000 第二十三条 10 working days, 002 第十四条 15 natural days, after 核实. */
  public OffsetDateTime rectifyDue(OffsetDateTime verifiedAt) {
    return deadlines.end(verifiedAt, profile.workOrder().rectify());
  }

  /** When a rectified order must be reported and closed (000 第二十三条: 5 working days); null when the profile sets none. */
  public OffsetDateTime reportDue(OffsetDateTime rectifiedAt) {
    PolicyProfile.Span report = profile.workOrder().report();
    return report == null ? null : deadlines.end(rectifiedAt, report);
  }

  /** Whether a work order in {@code state} is overdue when the deadline of {@code kind} passes. */
  public boolean overdueWhenDue(TimerKind kind, WorkOrderState state) {
    return switch (kind) {
      case WORK_ORDER_RECTIFY -> state == VERIFIED || state == RECTIFYING;
      case WORK_ORDER_REPORT -> state == RECTIFIED || state == REVISITED;
      default -> false;
    };
  }

  /** Whether a work order verified as 恶意评价 removes its rating from the statistics (000 第二十五条). */
  public boolean maliciousCorrectsRating() {
    return profile.appeal() != null && profile.appeal().correctionReasons().contains(AppealReason.MALICIOUS);
  }

  public boolean explanationAllowed() {
    return profile.workOrder().explainInsteadOfRectify();
  }

  /**
   * 002 第十四条: 若在期限内无法整改，应说明理由和整改期限. Allowed while the order is being handled and its
   * deadline has not passed; the new last day must be later than the current one.
   */
  public List<Violation> checkExplanation(WorkOrderState state, OffsetDateTime now, OffsetDateTime rectifyDue, LocalDate newLastDay,
      String reason) {
    List<Violation> out = new ArrayList<>();
    if (!explanationAllowed()) {
      out.add(Violation.notAllowed("", "explanationNotInProfile", "本地规则（" + profile.profile() + "）不允许以说明理由代替限期整改",
          "profile " + profile.profile() + " does not allow explaining instead of rectifying in time"));
      return out;
    }
    if (blank(reason)) {
      out.add(Violation.invalid("reason", "required", "须说明无法按期整改的理由 reason", "reason is required"));
    }
    if (newLastDay == null) {
      out.add(Violation.invalid("rectifyBy", "required", "须给出新的整改期限 rectifyBy（日期，如 2026-12-31）",
          "rectifyBy (the new last day, e.g. 2026-12-31) is required"));
    }
    if (state != VERIFIED && state != RECTIFYING) {
      out.add(Violation.notAllowed("state", "explanationNotNow", "工单状态为“" + state.label() + "”，只有“属实”或“整改中”的工单可以说明延期",
          "the work order is " + state.name() + "; only VERIFIED or RECTIFYING orders can be explained"));
    } else if (rectifyDue != null && !now.isBefore(rectifyDue)) {
      out.add(Violation.notAllowed("rectifyBy", "explanationTooLate", "整改期限已于 " + Deadlines.dayOf(rectifyDue) + " 届满，须在期限内说明理由",
          "the rectification deadline passed on " + Deadlines.dayOf(rectifyDue) + "; an explanation must come within it"));
    } else if (newLastDay != null && rectifyDue != null && !newLastDay.isAfter(Deadlines.dayOf(rectifyDue))) {
      out.add(Violation.invalid("rectifyBy", "laterThanDeadline", "新的整改期限须晚于当前期限 " + Deadlines.dayOf(rectifyDue),
          "rectifyBy must be later than the current deadline " + Deadlines.dayOf(rectifyDue)));
    }
    return out;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
