package org.haochaping.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.model.CaseEvent;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cases pushed and moved on over REST; every arrival and status change reaches `case-events`. */
@Tag("db")
class CaseRestRouteTest extends GatewayTestSupport {

  @Test
  void newCaseIs201AndARepushIs200() {
    assertThat(api.post("/api/v1/cases", Fixtures.windowCase("C-PUSH-1")).status()).isEqualTo(201);
    Map<String, Object> changed = Fixtures.windowCase("C-PUSH-1");
    changed.put("windowNo", "13");
    Api.Response again = api.post("/api/v1/cases", changed);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("windowNo").asText()).isEqualTo("13");
  }

  @Test
  void caseIsShownWithTheApplicantMasked() {
    api.post("/api/v1/cases", Fixtures.windowCase("C-SHOW-1"));
    Api.Response r = api.get("/api/v1/cases/C-SHOW-1");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).doesNotContain(Fixtures.MOBILE).doesNotContain(Fixtures.ID_NO).contains("138****0000");
    assertThat(r.json().get("projectType").asText()).isEqualTo("IMMEDIATE");
  }

  @Test
  void completionEventCompletesTheCaseOnceAndNeverGoesBack() {
    Map<String, Object> c = Fixtures.windowCase("C-DONE-1");
    c.put("acceptedAt", "2026-11-24T09:00:00+08:00");
    api.post("/api/v1/cases", c);
    Api.Response done = api.post("/api/v1/cases/C-DONE-1/events", Map.of("type", "COMPLETED", "at", "2026-11-24T10:00:00+08:00"));
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.json().get("status").asText()).isEqualTo("COMPLETED");
    assertThat(done.json().get("completedAt").asText()).isEqualTo("2026-11-24T10:00:00+08:00");

    // The same event again is harmless and keeps the first completion time.
    Api.Response twice = api.post("/api/v1/cases/C-DONE-1/events", Map.of("type", "COMPLETED", "at", "2026-11-24T11:00:00+08:00"));
    assertThat(twice.json().get("completedAt").asText()).isEqualTo("2026-11-24T10:00:00+08:00");

    Api.Response back = api.post("/api/v1/cases/C-DONE-1/events", Map.of("type", "ACCEPTED"));
    assertThat(back.status()).isEqualTo(409);
    assertThat(back.json().get("violations").get(0).get("rule").asText()).isEqualTo("noStepBack");
  }

  @Test
  void eventForAnUnknownCaseIs404() {
    assertThat(api.post("/api/v1/cases/C-NOBODY/events", Map.of("type", "COMPLETED")).status()).isEqualTo(404);
  }

  @Test
  void arrivalAndCompletionArePublishedAsCaseEvents() throws Exception {
    GatewayCore core = bean("gatewayCore", GatewayCore.class);
    BrokerTopology.Queue queue = core.topology().ensure(BrokerTopology.CASE_EVENTS, "test.case-events");
    api.post("/api/v1/cases", Fixtures.windowCase("C-EVENT-1"));
    api.post("/api/v1/cases/C-EVENT-1/events", Map.of("type", "IN_PROGRESS"));
    api.post("/api/v1/cases/C-EVENT-1/events", Map.of("type", "IN_PROGRESS")); // no change, no event
    api.post("/api/v1/cases/C-EVENT-1/events", Map.of("type", "COMPLETED"));

    List<CaseEvent> events = new ArrayList<>();
    try (Connection c = core.connectionFactory().createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue.fqqn()));
      BytesMessage m;
      while (events.size() < 3 && (m = (BytesMessage) consumer.receive(10_000)) != null) {
        byte[] body = new byte[(int) m.getBodyLength()];
        m.readBytes(body);
        CaseEvent e = Json.read(body, CaseEvent.class);
        if (e.caseNo().equals("C-EVENT-1")) {
          events.add(e);
        }
      }
    }
    assertThat(events).extracting(CaseEvent::to).containsExactly(CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.COMPLETED);
    assertThat(events.get(2).isCompletion()).isTrue();
    JsonNode raw = Json.MAPPER.valueToTree(events.get(2));
    assertThat(raw.toString()).doesNotContain(Fixtures.MOBILE);
  }
}
