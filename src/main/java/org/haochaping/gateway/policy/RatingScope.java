package org.haochaping.gateway.policy;

import java.util.List;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.model.TargetType;

/**
 * Which cases one rating is about beyond its own (DESIGN §6 "ratings per case", "theme / 套餐"):
 * <ul>
 *   <li>batch visit (000 第十八条): the same item handled twice or more in one window visit (cases
 *       sharing {@code visitId} and {@code taskCode}) is rated once, and the rating applies to every case
 *       of the batch;
 *   <li>theme / 一件事 (000 第十九条, 002 第十条): an overall rating of the theme applies to every item of
 *       it. The theme is rated overall by rating its own case, the one whose {@code caseNo} is the
 *       {@code themeId}; rating a member case rates that item alone (分别评价). In Guangxi the overall
 *       (OVERALL stage) rating of the 套餐 counts for every department of it, while the 受理/审批/出件 stage
 *       ratings stay with their case.
 * </ul>
 * The gateway applies such a rating by submitting, for each other case, a rating with the same level,
 * tags, text and evaluator (its own id, {@code sourceRef} {@code applied:<original ratingId>}).
 */
public final class RatingScope {

  /** Why a rating applies to other cases. */
  public enum Scope { BATCH_VISIT, THEME }

  /** The prefix of {@code sourceRef} on a rating the gateway applied from another. */
  public static final String APPLIED_PREFIX = "applied:";

  private final PolicyProfile.RatingRules rules;

  public RatingScope(PolicyProfile profile) {
    this.rules = profile.rating();
  }

  /** Whether {@code r}, a rating of case {@code c}, applies to other cases, and why; null when it does not. */
  public Scope scopeOf(Rating r, ServiceCase c) {
    if (c == null || r.assessNumber() != 1 || !r.target().type().ratesItem() || r.channel() == Channel.SYSTEM_DEFAULT) {
      // A follow-up, a staff rating or a default rates its own case only.
      return null;
    }
    if (rules.themeOverallAppliesToAll() && c.themeId() != null && c.themeId().equals(c.caseNo()) && r.stage() == Stage.OVERALL) {
      return Scope.THEME;
    }
    if (rules.batchVisitRatedOnce() && c.visitId() != null && !c.visitId().isBlank()) {
      return Scope.BATCH_VISIT;
    }
    return null;
  }

  /** Of {@code candidates}, the cases the rating of {@code c} applies to under {@code scope} ({@code c} itself excluded). */
  public List<ServiceCase> appliesTo(Scope scope, ServiceCase c, List<ServiceCase> candidates) {
    return candidates.stream()
        .filter(o -> !o.caseNo().equals(c.caseNo()))
        .filter(o -> switch (scope) {
          case BATCH_VISIT -> c.visitId().equals(o.visitId()) && c.taskCode().equals(o.taskCode());
          case THEME -> c.themeId().equals(o.themeId());
        })
        .toList();
  }

  /** The rating {@code original} becomes when applied to case {@code to}; the id is assigned on submission. */
  public Rating applied(Rating original, ServiceCase to, Scope scope) {
    // A batch is one window and one item: the staff rated stays rated. A theme's items belong to
    // other departments and staff: the overall rating rates each item.
    TargetType type = scope == Scope.BATCH_VISIT ? original.target().type() : TargetType.ITEM;
    Target target = new Target(type, null, null, null, null, null, null, null, null).completedFrom(to);
    return new Rating(null, APPLIED_PREFIX + original.ratingId(), to.caseNo(), 1, original.stage(), original.channel(),
        original.level(), original.score(), original.tags(), original.comment(), target, original.evaluator(),
        original.visitId(), original.ratedAt(), original.receivedAt(), false);
  }
}
