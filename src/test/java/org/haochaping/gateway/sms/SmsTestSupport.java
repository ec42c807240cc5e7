package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.sim.AssembledMessage;
import org.haochaping.gateway.sim.SmscSimulator;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.TestClock;

/**
 * The whole gateway with its built-in SMSC simulator (a real SMPP server on a free port, bound by
 * the gateway over a real socket), a clock the test can move, prompts sent as soon as a case
 * completes and no quiet hours unless a test asks for them.
 */
abstract class SmsTestSupport extends GatewayTestSupport {

  static final Duration WAIT = Duration.ofSeconds(30);

  protected final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @Override
  protected Clock gatewayClock() {
    return clock;
  }

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = super.useOverridePropertiesWithPropertiesComponent();
    p.setProperty("hcp.sms.prompt.delaySeconds", "0");
    p.setProperty("hcp.sms.prompt.windowDelaySeconds", "0");
    p.setProperty("hcp.sms.quietHours", "");
    p.setProperty("hcp.sms.schedule.pollMillis", "100");
    p.setProperty("hcp.smsc.reconnect.initialMillis", "100");
    p.setProperty("hcp.smsc.reconnect.maxMillis", "1000");
    return p;
  }

  SmscSimulator smsc() {
    return bean("smscSimulator", SmscSimulator.class);
  }

  SmsLog smsLog() {
    return bean("smsLog", SmsLog.class);
  }

  /** A case of 廉江市 handled {@code mode}, completed now, whose applicant has {@code mobile}. */
  Map<String, Object> completedCase(String caseNo, String mode, String mobile) {
    Map<String, Object> c = Fixtures.windowCase(caseNo);
    OffsetDateTime now = ChinaTime.of(OffsetDateTime.now(clock)).truncatedTo(ChronoUnit.SECONDS);
    c.put("mode", mode);
    if (!mode.equals("WINDOW")) {
      c.remove("windowNo");
      c.remove("hallCode");
      c.remove("staffId");
      c.remove("staffName");
    }
    c.put("acceptedAt", iso(now.minusHours(2)));
    c.put("status", "COMPLETED");
    c.put("completedAt", iso(now));
    Map<String, Object> applicant = new LinkedHashMap<>();
    applicant.put("name", "张三");
    applicant.put("idType", "111");
    applicant.put("idNo", Fixtures.ID_NO);
    applicant.put("mobile", mobile);
    applicant.put("userProp", "1");
    c.put("applicant", applicant);
    return c;
  }

  /** ISO-8601 with seconds and offset, as the schema asks (OffsetDateTime.toString drops ":00"). */
  static String iso(OffsetDateTime t) {
    return t.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
  }

  /** Pushes the case over REST as a departmental system does. */
  void push(Map<String, Object> serviceCase) {
    Api.Response r = api.post("/api/v1/cases", serviceCase);
    assertThat(r.status()).as("%s", r).isIn(200, 201);
  }

  /** The SMS the handset {@code mobile} shows, oldest first. */
  List<AssembledMessage> messagesTo(String mobile) {
    return smsc().messages().stream().filter(m -> m.destination().equals(mobile)).toList();
  }

  List<AssembledMessage> awaitMessages(String mobile, int count) {
    await().atMost(WAIT).until(() -> messagesTo(mobile).size() >= count);
    return messagesTo(mobile);
  }
}
