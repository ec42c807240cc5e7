package org.haochaping.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.policy.StatisticsRules;
import org.junit.jupiter.api.Test;

/** 000 第二十二条, with the weights read from the guangdong profile. */
class CompositeScoreTest {

  private final StatisticsRules rules = PolicyProfile.load("guangdong").statistics();

  @Test
  void withHallWeighsQuality30WorkOrders20HallPromotion20Coverage30() {
    // quality 7.5 -> 75 points; 0.3*75 + 0.2*80 + 0.2*50 + 0.3*40 = 22.5 + 16 + 10 + 12 = 60.5
    CompositeScore.Result r = CompositeScore.of(rules.composite(), true, 7.5, 80.0, 50.0, 40.0, 100);
    assertThat(r.formula()).isEqualTo("WITH_HALL");
    assertThat(r.score()).isCloseTo(60.5, within(1e-9));
    assertThat(r.components()).extracting(CompositeScore.Component::weight).containsExactly(30.0, 20.0, 20.0, 30.0);
  }

  @Test
  void withoutHallWeighsQuality30WorkOrders30Coverage40() {
    // 0.3*75 + 0.3*80 + 0.4*40 = 22.5 + 24 + 16 = 62.5
    CompositeScore.Result r = CompositeScore.of(rules.composite(), false, 7.5, 80.0, null, 40.0, 100);
    assertThat(r.formula()).isEqualTo("WITHOUT_HALL");
    assertThat(r.score()).isCloseTo(62.5, within(1e-9));
    assertThat(r.components()).extracting(CompositeScore.Component::name).containsExactly("quality", "workOrders", "coverage");
  }

  @Test
  void noWorkOrderScoresFullPointsAndMissingDataLeavesNoScore() {
    CompositeScore.Result none = CompositeScore.of(rules.composite(), false, 10.0, null, null, 100.0, rules.noWorkOrdersPoints());
    assertThat(none.score()).isCloseTo(100.0, within(1e-9));
    CompositeScore.Result noRatings = CompositeScore.of(rules.composite(), true, null, 50.0, 50.0, 50.0, 100);
    assertThat(noRatings.score()).isNull();
    assertThat(noRatings.missing()).containsExactly("quality");
  }

  @Test
  void weightsAddUpTo100InBothFormulas() {
    assertThat(rules.composite().withHall().total()).isEqualTo(100.0);
    assertThat(rules.composite().withoutHall().total()).isEqualTo(100.0);
    assertThat(PolicyProfile.load("guangxi").statistics().composite()).isNull();
  }
}
