package org.haochaping.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.WorkOrderState;
import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.policy.StatisticsRules;
import org.junit.jupiter.api.Test;

class MarksTest {

  private final StatisticsRules rules = PolicyProfile.load("guangdong").statistics();

  @Test
  void aDefaultRatingRatesTheCaseButIsNoActiveRatingAndCoversNoChannelGroup() {
    assertThat(Marks.ofCase(List.of(new Marks.CaseRating(Channel.SYSTEM_DEFAULT, false)), rules))
        .containsExactly("CASES", "CH:SYSTEM_DEFAULT", "RATED");
  }

  @Test
  void activeRatingsCoverTheirGroup() {
    assertThat(Marks.ofCase(List.of(new Marks.CaseRating(Channel.EVALUATOR, true), new Marks.CaseRating(Channel.PORTAL, true)), rules))
        .containsExactly("ACTIVE", "CASES", "CH:EVALUATOR", "CH:PORTAL", "G:HALL", "G:WEB", "RATED");
    // 12345 and SMS count as participation, not in the three groups of 000 第二十二条.
    assertThat(Marks.ofCase(List.of(new Marks.CaseRating(Channel.SMS, true)), rules)).containsExactly("ACTIVE", "CASES", "CH:SMS", "RATED");
    assertThat(Marks.ofCase(List.of(), rules)).containsExactly("CASES");
  }

  @Test
  void aWorkOrderIsHandledWhenRectifiedOrFoundUnfoundedAndLeavesTheCountWhenItsRatingIsCorrected() {
    assertThat(Marks.ofWorkOrder(WorkOrderState.PENDING_VERIFICATION, null, false, false)).containsExactly("WO_TOTAL");
    assertThat(Marks.ofWorkOrder(WorkOrderState.RECTIFYING, null, false, false)).containsExactly("WO_TOTAL");
    assertThat(Marks.ofWorkOrder(WorkOrderState.RECTIFIED, null, true, false)).containsExactly("WO_HANDLED", "WO_RECTIFIED", "WO_TOTAL");
    assertThat(Marks.ofWorkOrder(WorkOrderState.CLOSED, "RECTIFIED", true, false)).containsExactly("WO_HANDLED", "WO_RECTIFIED", "WO_TOTAL");
    assertThat(Marks.ofWorkOrder(WorkOrderState.UNFOUNDED, null, false, false)).containsExactly("WO_HANDLED", "WO_TOTAL");
    assertThat(Marks.ofWorkOrder(WorkOrderState.CLOSED, "UNFOUNDED", false, false)).containsExactly("WO_HANDLED", "WO_TOTAL");
    assertThat(Marks.ofWorkOrder(WorkOrderState.CLOSED, "CORRECTED", false, true)).isEmpty();
    assertThat(Marks.ofWorkOrder(WorkOrderState.MALICIOUS, null, false, true)).isEmpty();
  }
}
