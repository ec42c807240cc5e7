package org.haochaping.gateway.channel.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvaluatorTopicsTest {

  @Test
  void topicsOfADevice() {
    assertThat(EvaluatorTopics.prompt("EV-1")).isEqualTo("hcp/evaluators/EV-1/prompt");
    assertThat(EvaluatorTopics.rating("EV-1")).isEqualTo("hcp/evaluators/EV-1/rating");
    assertThat(EvaluatorTopics.ack("EV-1")).isEqualTo("hcp/evaluators/EV-1/ack");
    assertThat(EvaluatorTopics.status("EV-1")).isEqualTo("hcp/evaluators/EV-1/status");
  }

  @Test
  void theDeviceIsReadFromTheTopic() {
    assertThat(EvaluatorTopics.deviceOf("hcp/evaluators/EV-1/rating")).isEqualTo("EV-1");
    assertThat(EvaluatorTopics.deviceOf("hcp/evaluators/EV-1/a/rating")).isNull();
    assertThat(EvaluatorTopics.deviceOf("hcp/evaluators/+/rating")).isNull();
    assertThat(EvaluatorTopics.deviceOf("other/EV-1/rating")).isNull();
    assertThat(EvaluatorTopics.deviceOf(null)).isNull();
  }

  @Test
  void aDeviceIdIsOneTopicLevelAndNeverAWildcard() {
    assertThat(EvaluatorTopics.isDeviceId("EV-0001")).isTrue();
    assertThat(EvaluatorTopics.isDeviceId("lj_hall1_w12")).isTrue();
    assertThat(EvaluatorTopics.isDeviceId("a".repeat(40))).isTrue();
    assertThat(EvaluatorTopics.isDeviceId("a".repeat(41))).isFalse();
    for (String bad : new String[] {"", "-EV", "EV/1", "EV.1", "EV+", "#", "EV*", "评价器1", "hcp-gateway", "HCP-GATEWAY"}) {
      assertThat(EvaluatorTopics.isDeviceId(bad)).as(bad).isFalse();
    }
  }
}
