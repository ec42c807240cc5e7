package org.haochaping.gateway.policy;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.haochaping.gateway.model.ServiceCase;

/**
 * When a case's rating window closes: the moment the default rating takes over. A link to the H5
 * page (dynamic QR, SMS) expires then. Pure: the profile and the case decide.
 *
 * <ul>
 *   <li>guangdong — 000 第二十条: unrated 7 natural days after completion -> 非常满意;
 *   <li>guangxi — 002 第八条: unrated 7 natural days after acceptance or completion -> 非常满意
 *       (the window counts from completion once the case is completed, else from acceptance).
 * </ul>
 * A profile without a default rating keeps the window open for the follow-up period, or 7 natural
 * days when it has none either (GB/T 39734 "一次一评": rated soon after the service).
 */
public final class RatingWindow {

  private static final PolicyProfile.Span FALLBACK = new PolicyProfile.Span(7, PolicyProfile.Unit.NATURAL_DAYS);

  private final PolicyProfile profile;
  private final Deadlines deadlines;

  public RatingWindow(PolicyProfile profile, Deadlines deadlines) {
    this.profile = profile;
    this.deadlines = deadlines;
  }

  /**
   * The close of the window for {@code c}, or empty when the case has not reached the point the
   * window counts from. Counted as the lifecycle's default-rating timer counts it ({@link Deadlines}:
   * the day of completion does not count, the last day ends at 24:00), so a link expires exactly
   * when the default rating is given.
   */
  public Optional<OffsetDateTime> closesAt(ServiceCase c) {
    PolicyProfile.DefaultRating d = profile.defaultRating();
    OffsetDateTime from;
    PolicyProfile.Span span;
    if (d != null && d.enabled()) {
      from = c.isCompleted() ? c.completedAt()
          : d.from() == PolicyProfile.DefaultFrom.ACCEPTANCE_OR_COMPLETION ? c.acceptedAt() : null;
      span = d.after();
    } else {
      from = c.isCompleted() ? c.completedAt() : null;
      PolicyProfile.FollowUp f = profile.rating().followUp();
      span = f.enabled() && f.within() != null ? f.within() : FALLBACK;
    }
    return from == null ? Optional.empty() : Optional.of(deadlines.end(from, span));
  }
}
