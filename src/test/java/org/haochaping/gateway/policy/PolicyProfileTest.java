package org.haochaping.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Stage;
import org.junit.jupiter.api.Test;

class PolicyProfileTest {

  @Test
  void guangdongProfileCarriesSeed000() {
    PolicyProfile p = PolicyProfile.load("guangdong");
    assertThat(p.reminder().after()).isEqualTo(new PolicyProfile.Span(24, PolicyProfile.Unit.HOURS)); // 第二十条
    assertThat(p.defaultRating().after()).isEqualTo(new PolicyProfile.Span(7, PolicyProfile.Unit.NATURAL_DAYS));
    assertThat(p.defaultRating().level()).isEqualTo(Level.VERY_SATISFIED);
    assertThat(p.rating().followUp().within()).isEqualTo(new PolicyProfile.Span(60, PolicyProfile.Unit.NATURAL_DAYS)); // 第二十一条
    assertThat(p.workOrder().rectify()).isEqualTo(new PolicyProfile.Span(10, PolicyProfile.Unit.WORKING_DAYS)); // 第二十三条
    assertThat(p.rating().stages()).containsExactly(Stage.OVERALL);
  }

  @Test
  void guangxiProfileCarriesSeed002() {
    PolicyProfile p = PolicyProfile.load("guangxi");
    assertThat(p.reminder().enabled()).isFalse();
    assertThat(p.defaultRating().from()).isEqualTo(PolicyProfile.DefaultFrom.ACCEPTANCE_OR_COMPLETION); // 第八条
    assertThat(p.contentReview().within()).isEqualTo(new PolicyProfile.Span(15, PolicyProfile.Unit.NATURAL_DAYS)); // 第八条
    assertThat(p.workOrder().rectify()).isEqualTo(new PolicyProfile.Span(15, PolicyProfile.Unit.NATURAL_DAYS)); // 第十四条
    assertThat(p.rating().followUp().enabled()).isFalse();
  }

  @Test
  void unknownProfileFailsLoudly() {
    assertThatThrownBy(() -> PolicyProfile.load("guangzhou")).hasMessageContaining("unknown profile");
    assertThatThrownBy(() -> PolicyProfile.load("../etc")).hasMessageContaining("HCP_PROFILE");
  }
}
