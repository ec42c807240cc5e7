package org.haochaping.gateway.channel.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a device may publish on its status topic. */
class EvaluatorStatusTest {

  @Test
  void plainTextOrJsonStatus() {
    assertThat(EvaluatorStatus.parse(b("online"))).isTrue();
    assertThat(EvaluatorStatus.parse(b(" OFFLINE\n"))).isFalse();
    assertThat(EvaluatorStatus.parse(b("{\"status\":\"online\",\"firmware\":\"2.1\"}"))).isTrue();
    assertThat(EvaluatorStatus.parse(b("{\"status\":\"offline\"}"))).isFalse();
  }

  @Test
  void anythingElseIsNoStatus() {
    assertThat(EvaluatorStatus.parse(null)).isNull();
    assertThat(EvaluatorStatus.parse(new byte[0])).isNull();
    assertThat(EvaluatorStatus.parse(b("1"))).isNull();
    assertThat(EvaluatorStatus.parse(b("{\"state\":\"online\"}"))).isNull();
    assertThat(EvaluatorStatus.parse(b("{broken"))).isNull();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
