package org.haochaping.gateway.sms;

import java.util.Set;

/**
 * Every SMS the gateway sends, with its template ({@code mappings/sms/<template>.txt}), the
 * placeholders that template may use, and the rules that apply to it.
 */
public enum SmsKind {
  /** The rating prompt after completion (000 第十五条, 第二十条). */
  PROMPT("prompt", Set.of("itemName", "deptName", "caseNo", "link"), true, true),
  /** The one reminder when still unrated 24 hours after completion (000 第二十条). */
  REMINDER("reminder", Set.of("itemName", "deptName", "caseNo", "link"), true, true),
  /** Asks for the reason of a bad level (000 第七条). */
  REASON_REQUEST("reason-request", Set.of("itemName", "deptName", "caseNo", "level"), false, false),
  THANKS("thanks", Set.of("itemName", "deptName", "caseNo", "level"), false, false),
  ALREADY_RATED("already-rated", Set.of("itemName", "deptName", "caseNo"), false, false),
  RATING_REFUSED("rating-refused", Set.of("itemName", "deptName", "caseNo", "reason"), false, false),
  HELP("help", Set.of(), false, false),
  NOTHING_PENDING("nothing-pending", Set.of(), false, false),
  OPT_OUT("opt-out", Set.of(), false, false),
  /** The result of a bad rating's work order, to the person who rated (000 第二十三条, 002 第十四条). */
  WORK_ORDER_FEEDBACK("work-order-feedback", Set.of("itemName", "deptName", "caseNo", "workOrderId", "result"), false, true);

  private final String template;
  private final Set<String> placeholders;
  private final boolean solicitation;
  private final boolean quietHoursApply;

  SmsKind(String template, Set<String> placeholders, boolean solicitation, boolean quietHoursApply) {
    this.template = template;
    this.placeholders = placeholders;
    this.solicitation = solicitation;
    this.quietHoursApply = quietHoursApply;
  }

  public String template() {
    return template;
  }

  /** The placeholders this kind's template may use; {@code signature} is always available. */
  public Set<String> placeholders() {
    return placeholders;
  }

  /**
   * Asks for a rating without being asked: counted against the profile's {@code sms.maxPerCase},
   * never sent to a number that opted out. Answers to a citizen's own text and work-order feedback
   * are not solicitations.
   */
  public boolean solicitation() {
    return solicitation;
  }

  /** Waits for the end of the quiet hours (everything the citizen did not just ask for). */
  public boolean quietHoursApply() {
    return quietHoursApply;
  }
}
