package org.haochaping.gateway.channel.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.policy.Violation;
import org.junit.jupiter.api.Test;

/** A refusal names the field the channel sent, not the canonical one. */
class ChannelIntakeTest {

  @Test
  void canonicalPathsAreRenamedByTheLongestMappedPrefix() {
    Map<String, String> f = ChannelFields.GUIDE_EVALUATION;
    assertThat(ChannelIntake.fieldName("level", f)).isEqualTo("satisfaction");
    assertThat(ChannelIntake.fieldName("tags[1]", f)).isEqualTo("evalDetail[1]");
    assertThat(ChannelIntake.fieldName("target.staffId", f)).isEqualTo("handleUserPageCode");
    assertThat(ChannelIntake.fieldName("evaluator.idNo", f)).isEqualTo("certKey");
    assertThat(ChannelIntake.fieldName("levelish", f)).isEqualTo("levelish");
    assertThat(ChannelIntake.fieldName("evaluator.name", ChannelFields.PORTAL)).isEqualTo("user.realName");
  }

  @Test
  void theProblemKeepsItsCodeAndMessages() {
    Problem p = Problem.validation(List.of(Violation.invalid("ratedAt", "format", "时间格式", "time format")));
    Problem renamed = ChannelIntake.rename(p, ChannelFields.HOTLINE);
    assertThat(renamed.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(renamed.violations().get(0)).isEqualTo(new Problem.Item("callTime", "format", "时间格式", "time format"));
  }
}
