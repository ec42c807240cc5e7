package org.haochaping.gateway.policy;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.model.AppealReason;

/**
 * Staff appeals against a bad rating. 000 第二十五条: the staff member may appeal within 5 working days
 * of receiving the bad rating; the agency verifies within 5 working days of the appeal; a rating found
 * 误评 or 恶意评价 is corrected. 002 第十三条: a 不满意 caused by the information system or another
 * objective cause is revoked once confirmed; the seed sets no window.
 */
public final class AppealPolicy {

  private final PolicyProfile profile;
  private final Deadlines deadlines;

  public AppealPolicy(PolicyProfile profile, Deadlines deadlines) {
    this.profile = profile;
    this.deadlines = deadlines;
  }

  /** The reasons that, once confirmed, correct the rating. */
  public List<AppealReason> reasons() {
    return profile.appeal() == null ? List.of() : profile.appeal().correctionReasons();
  }

  /** When the appeal window closes for a bad rating received at {@code receivedAt}; null when it never does. */
  public OffsetDateTime fileDeadline(OffsetDateTime receivedAt) {
    return profile.appeal() == null || profile.appeal().file() == null ? null : deadlines.end(receivedAt, profile.appeal().file());
  }

  /** When an appeal filed at {@code filedAt} must be verified; null when the regulation sets no time. */
  public OffsetDateTime verifyDeadline(OffsetDateTime filedAt) {
    return profile.appeal() == null || profile.appeal().verify() == null ? null : deadlines.end(filedAt, profile.appeal().verify());
  }

  /**
   * Every reason an appeal cannot be filed now.
   *
   * @param reasonText the reason as sent (code or Chinese label)
   * @param receivedAt when the bad rating reached the gateway (and the staff member's work order)
   * @param alreadyAppealed whether the work order has an appeal already
   */
  public List<Violation> checkFiling(String reasonText, OffsetDateTime receivedAt, boolean alreadyAppealed, boolean closed,
      OffsetDateTime now) {
    List<Violation> out = new ArrayList<>();
    AppealReason reason = AppealReason.parse(reasonText);
    if (reasonText == null || reasonText.isBlank()) {
      out.add(Violation.invalid("reason", "required", "须给出申诉理由 reason（" + names() + "）", "reason is required (" + names() + ")"));
    } else if (reason == null || !reasons().contains(reason)) {
      out.add(Violation.invalid("reason", "reasonNotInProfile",
          "本地规则（" + profile.profile() + "）可修正的申诉理由为：" + names() + "，收到 " + reasonText,
          "profile " + profile.profile() + " corrects bad ratings for " + names() + " only, got " + reasonText));
    }
    if (alreadyAppealed) {
      out.add(Violation.notAllowed("", "appealOnce", "该差评已提出过申诉", "this bad rating has been appealed already"));
    }
    if (closed) {
      out.add(Violation.notAllowed("", "appealAfterClosed", "工单已办结，不能再申诉", "the work order is closed; it can no longer be appealed"));
    }
    OffsetDateTime closes = fileDeadline(receivedAt);
    if (closes != null && !now.isBefore(closes)) {
      // 000 第二十五条: 可在 5 个工作日内进行申诉.
      out.add(Violation.notAllowed("", "appealWindowClosed",
          "申诉须在收到差评后 " + RatingPolicy.span(profile.appeal().file()) + "内提出，已于 " + Deadlines.dayOf(closes) + " 截止",
          "an appeal must come within " + RatingPolicy.spanEn(profile.appeal().file()) + " of the bad rating; the window closed on "
              + Deadlines.dayOf(closes)));
    }
    return out;
  }

  private String names() {
    return String.join("、", reasons().stream().map(r -> r.name() + " " + r.label()).toList());
  }
}
