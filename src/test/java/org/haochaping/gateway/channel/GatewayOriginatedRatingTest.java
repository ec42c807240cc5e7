package org.haochaping.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.policy.LifecyclePolicy;
import org.haochaping.gateway.policy.RatingPolicy;
import org.haochaping.gateway.store.CaseStore;
import org.haochaping.gateway.store.RatingLedger;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own path into the durable publish ({@link RatingIntake#prepareOwn}, {@link RatingIntake#sendAll}):
 * the 7-day default rating, which clients may not send, under the same identity rules as any rating.
 */
@Tag("db")
class GatewayOriginatedRatingTest extends GatewayTestSupport {

  private Rating defaultFor(String caseNo) {
    assertThat(api.post("/api/v1/cases", Fixtures.completedCase(caseNo)).status()).isEqualTo(201);
    ServiceCase c = bean("caseStore", CaseStore.class).find(caseNo).orElseThrow();
    LifecyclePolicy lifecycle = new LifecyclePolicy(bean("policy", RatingPolicy.class).profile(), bean("policy", RatingPolicy.class).deadlines());
    OffsetDateTime due = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    return lifecycle.defaultRating(c, Stage.OVERALL, due, due);
  }

  @Test
  void defaultRatingIsPublishedLikeAnyRatingAndStoredAsSystemDefault() {
    RatingIntake intake = bean("ratingIntake", RatingIntake.class);
    Rating rating = defaultFor("OWN-1");
    RatingIntake.Prepared first = (RatingIntake.Prepared) intake.prepareOwn(rating);
    List<RatingIntake.Outcome> sent = intake.sendAll(List.of(first));
    assertThat(sent.get(0).status()).isEqualTo(RatingIntake.Outcome.Status.ACCEPTED);

    // Again (a poller that died before ending its timer): the same rating, sent again, stored once.
    RatingIntake.Prepared again = (RatingIntake.Prepared) intake.prepareOwn(rating);
    assertThat(again.replay()).isTrue();
    assertThat(again.rating().ratingId()).isEqualTo(first.rating().ratingId());
    assertThat(intake.sendAll(List.of(again)).get(0).accepted()).isTrue();

    RatingLedger ledger = bean("ratingLedger", RatingLedger.class);
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(first.rating().ratingId()).isPresent());
    RatingLedger.Entry e = ledger.find(first.rating().ratingId()).orElseThrow();
    assertThat(e.channel()).isEqualTo("SYSTEM_DEFAULT");
    assertThat(e.defaulted()).isTrue();
    assertThat(e.level()).isEqualTo("VERY_SATISFIED");
    assertThat(e.score()).isEqualTo(10);

    // A client rating of the defaulted case now holds a taken key.
    assertThat(api.post("/api/v1/ratings", Fixtures.rating("OWN-1", "SATISFIED")).status()).isEqualTo(409);
  }

  @Test
  void caseRatedByItsEvaluatorIsNotDefaulted() {
    RatingIntake intake = bean("ratingIntake", RatingIntake.class);
    Rating rating = defaultFor("OWN-2");
    String ratedBy = api.post("/api/v1/ratings", Fixtures.rating("OWN-2", "BASIC")).json().get("ratingId").asText();
    RatingIntake.Step step = intake.prepareOwn(rating);
    assertThat(step).isInstanceOf(RatingIntake.Outcome.class);
    assertThat(((RatingIntake.Outcome) step).status()).isEqualTo(RatingIntake.Outcome.Status.CONFLICT);
    assertThat(((RatingIntake.Outcome) step).ratingId()).isEqualTo(ratedBy);
  }

  @Test
  void systemDefaultRatingMustBeMarkedDefaulted() {
    Rating r = defaultFor("OWN-3");
    Rating unmarked = new Rating(null, null, r.caseNo(), 1, Stage.OVERALL, Channel.SYSTEM_DEFAULT, Level.VERY_SATISFIED, 10, List.of(),
        null, r.target(), null, null, r.ratedAt(), r.receivedAt(), false);
    assertThatThrownBy(() -> bean("ratingIntake", RatingIntake.class).prepareOwn(unmarked)).isInstanceOf(IllegalArgumentException.class);
  }
}
