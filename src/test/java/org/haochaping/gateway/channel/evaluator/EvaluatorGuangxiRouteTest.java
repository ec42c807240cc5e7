package org.haochaping.gateway.channel.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.haochaping.gateway.support.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Under the Guangxi rules (002) an evaluator's rating is for its one case: there is no batch-visit rule. */
@Tag("db")
class EvaluatorGuangxiRouteTest extends EvaluatorTestSupport {

  @Override
  protected String profile() {
    return "guangxi";
  }

  @Test
  void eachCaseOfAVisitIsRatedByItself() throws Exception {
    String pw = register("EV-GX", "G1");
    try (Evaluator device = Evaluator.connect(mqttPort(), "EV-GX", pw)) {
      for (String caseNo : List.of("C-GX-1", "C-GX-2")) {
        Map<String, Object> c = Fixtures.windowCase(caseNo);
        c.put("windowNo", "G1");
        c.put("visitId", "V-GX");
        push(c);
        api.post("/api/v1/cases/" + caseNo + "/events", Map.of("type", "COMPLETED"));
      }
      // One prompt per case (they may arrive in either order).
      assertThat(List.of(device.awaitPrompt().get("caseNo").asText(), device.awaitPrompt().get("caseNo").asText()))
          .containsExactlyInAnyOrder("C-GX-1", "C-GX-2");
      device.rate("gx-1", "C-GX-1", 5, null, null);
      String first = device.awaitAck("gx-1").get("ratingId").asText();
      device.rate("gx-2", "C-GX-2", 2, List.of("B01"), null);
      String second = device.awaitAck("gx-2").get("ratingId").asText();
      assertThat(first).isNotEqualTo(second);
      // Guangxi's own tag table applies (B01 服务态度差), and 002 第八条: a bad rating carries a tag or text.
      device.rate("gx-3", "C-GX-1", 1, null, null);
      assertThat(device.awaitAck("gx-3").get("error").get("violations").get(0).get("rule").asText()).isEqualTo("badRatingNeedsReason");
    }
  }
}
