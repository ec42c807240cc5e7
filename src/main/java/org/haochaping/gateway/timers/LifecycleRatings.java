package org.haochaping.gateway.timers;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.broker.RatingCodec;
import org.haochaping.gateway.channel.RatingIntake;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.policy.LifecyclePolicy;
import org.haochaping.gateway.policy.RatingHistory;
import org.haochaping.gateway.policy.RatingScope;
import org.haochaping.gateway.store.CaseStore;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code lifecycle.ratings} consumer of {@code ratings}: a rating stops its case's reminder and
 * default, opens the review of a bad rating's text (002 第八条), and is applied to the other cases of
 * its batch visit or theme (000 第十八条, 第十九条; 002 第十条). The message is acknowledged only when
 * all of that is committed and every applied rating is in the broker; a redelivery repeats nothing.
 */
public final class LifecycleRatings {

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleRatings.class);

  private final RatingCodec codec;
  private final LifecyclePolicy policy;
  private final RatingScope scope;
  private final TimerStore timers;
  private final ContentReviews reviews;
  private final RatingApplications applications;
  private final CaseStore cases;
  private final RatingHistory history;
  private final RatingIntake intake;
  private final LifecycleOutbox outbox;

  public LifecycleRatings(RatingCodec codec, LifecyclePolicy policy, RatingScope scope, TimerStore timers, ContentReviews reviews,
      RatingApplications applications, CaseStore cases, RatingHistory history, RatingIntake intake, LifecycleOutbox outbox) {
    this.codec = codec;
    this.policy = policy;
    this.scope = scope;
    this.timers = timers;
    this.reviews = reviews;
    this.applications = applications;
    this.cases = cases;
    this.history = history;
    this.intake = intake;
    this.outbox = outbox;
  }

  public void onRating(byte[] body) {
    Rating r = codec.decode(body);
    boolean applied = applications.appliedFrom(r.ratingId()) != null;
    try (Connection c = timers.database().connection()) {
      c.setAutoCommit(false);
      try {
        for (LifecyclePolicy.TimerStart t : policy.stoppedBy(r)) {
          timers.cancel(c, t.kind(), t.subject(), "rated by " + r.ratingId());
        }
        if (!applied && policy.needsContentReview(r)) {
          reviews.open(c, r);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot update the lifecycle of case " + r.caseNo(), e);
    }
    if (!applied) {
      applyToOthers(r);
    }
  }

  /** Submits the rating for every other case of its batch or theme that has no rating of its own. */
  private void applyToOthers(Rating r) {
    ServiceCase own = cases.find(r.caseNo()).orElse(null);
    RatingScope.Scope s = scope.scopeOf(r, own);
    if (s == null) {
      return;
    }
    List<String> numbers = s == RatingScope.Scope.BATCH_VISIT ? history.batchSiblings(own) : history.themeMembers(own.themeId());
    List<ServiceCase> candidates = new ArrayList<>();
    numbers.forEach(n -> cases.find(n).ifPresent(candidates::add));
    List<RatingIntake.Prepared> prepared = new ArrayList<>();
    for (ServiceCase to : scope.appliesTo(s, own, candidates)) {
      RatingIntake.Step step = intake.prepareOwn(scope.applied(r, to, s));
      if (step instanceof RatingIntake.Prepared p) {
        applications.record(p.rating().ratingId(), r.ratingId(), to.caseNo(), s);
        prepared.add(p);
      } else if (step instanceof RatingIntake.Outcome o && o.status() == RatingIntake.Outcome.Status.CONFLICT) {
        LOG.debug("Case {} keeps its own rating {}; {} {} not applied to it", to.caseNo(), o.ratingId(), s, r.ratingId());
      } else {
        throw new StoreException("cannot apply rating " + r.ratingId() + " to case " + to.caseNo() + ": " + step, null);
      }
    }
    List<RatingIntake.Outcome> sent = intake.sendAll(prepared);
    for (RatingIntake.Outcome o : sent) {
      if (!o.accepted()) {
        throw new StoreException("applied rating not taken by the broker: " + o.detail(), null);
      }
    }
    if (prepared.isEmpty()) {
      return;
    }
    try (Connection c = timers.database().connection()) {
      for (RatingIntake.Prepared p : prepared) {
        outbox.add(c, outbox.event("RATING_APPLIED", p.rating().ratingId(), p.rating().caseNo(),
            Map.of("ratingId", p.rating().ratingId(), "appliedFrom", r.ratingId(), "fromCaseNo", r.caseNo(), "scope", s)));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record applied ratings", e);
    }
    LOG.info("Rating {} of case {} applied to {} other case(s) of its {}", r.ratingId(), r.caseNo(), prepared.size(), s);
  }
}
