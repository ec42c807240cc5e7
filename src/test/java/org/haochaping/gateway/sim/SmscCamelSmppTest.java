package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.smpp.SmppConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator with camel-smpp, the client the gateway uses: what a Chinese prompt looks like on
 * the handset when camel-smpp splits it.
 */
class SmscCamelSmppTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String MOBILE = "13800000000";

  private SmscSimulator smsc;
  private CamelContext camel;
  private final Queue<Message> received = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() throws Exception {
    smsc = SmscSimulator.start(SmscSimulator.Settings.defaults());
    String smpp =
        "smpp://hcpgw@127.0.0.1:" + smsc.port()
            + "?password=hcpsim01&systemType=hcp&sourceAddr=10690000123&destAddrNpi=1"
            + "&alphabet=8&registeredDelivery=1&enquireLinkTimer=5000&transactionTimer=5000";
    camel = new DefaultCamelContext();
    camel.addRoutes(
        new RouteBuilder() {
          @Override
          public void configure() {
            // alphabet=8 makes camel-smpp encode UTF-16BE and split at 67 characters, but the
            // data_coding on the wire comes from dataCoding (default 0): both are needed.
            from("direct:sms").to(smpp + "&dataCoding=8");
            from("direct:sms-alphabet-only").to(smpp);
            from(smpp).process(e -> received.add(e.getMessage().copy()));
          }
        });
    camel.start();
    // the consumer binds as receiver, each producer as transmitter
    await().atMost(WAIT).until(() -> smsc.boundSessions() == 3);
  }

  @AfterEach
  void stop() {
    camel.stop();
    smsc.stop();
  }

  @Test
  void eightyCharacterPromptArrivesWhole() {
    String text = "【政务服务】您办理的业务已办结，请回复数字评价：1非常满意，2满意，3基本满意，4不满意，5非常不满意。回复不收费，感谢您的支持！如有疑问请拨打12345热线。";
    assertThat(text.length()).isGreaterThan(70).isLessThanOrEqualTo(134);

    Exchange sent = send(text);

    assertThat(sent.getMessage().getHeader(SmppConstants.SENT_MESSAGE_COUNT, Integer.class)).isEqualTo(2);
    await().atMost(WAIT).until(() -> smsc.messages().size() == 1);
    AssembledMessage message = smsc.messages().get(0);
    assertThat(message.text()).isEqualTo(text);
    assertThat(message.anomalies()).isEmpty();
    assertThat(message.parts()).allSatisfy(p -> assertThat(p.dataCoding()).isEqualTo(8));
  }

  @Test
  void alphabetWithoutDataCodingSendsUcs2BytesLabelledAsGsm() {
    send("direct:sms-alphabet-only", "请评价");

    await().atMost(WAIT).until(() -> smsc.messages().size() == 1);
    AssembledMessage message = smsc.messages().get(0);
    assertThat(message.parts().get(0).dataCoding()).isZero();
    assertThat(message.anomalies()).containsExactly(Anomaly.NON_GSM_CHARACTER);
    assertThat(message.text()).isNotEqualTo("请评价");
  }

  @Test
  void camelSmppSplitsAnEmojiThatStraddlesTwoParts() {
    // camel-smpp cuts UCS-2 every 134 octets; an emoji on units 67-68 is cut in half.
    String text = "请".repeat(66) + "😀" + "谢谢谢谢"; // 72 code units: two parts

    send(text);

    await().atMost(WAIT).until(() -> smsc.messages().size() == 1);
    AssembledMessage message = smsc.messages().get(0);
    assertThat(message.anomalies()).contains(Anomaly.SPLIT_SURROGATE);
    assertThat(message.text()).isEqualTo("请".repeat(66) + "\uFFFD\uFFFD谢谢谢谢");
  }

  @Test
  void receiptAndMoReachTheConsumer() {
    Exchange sent = send("您的业务已办结，请回复1-5评价。");
    @SuppressWarnings("unchecked")
    List<String> ids = sent.getMessage().getHeader(SmppConstants.ID, List.class);

    await().atMost(WAIT).until(() -> received.size() == 1);
    Message receipt = received.poll();
    assertThat(receipt.getHeader(SmppConstants.MESSAGE_TYPE)).isEqualTo("DeliveryReceipt");
    assertThat(receipt.getHeader(SmppConstants.ID)).isEqualTo(ids.get(0));
    assertThat(receipt.getHeader(SmppConstants.FINAL_STATUS)).hasToString("DELIVRD");

    smsc.injectMo(MOBILE, "1069000012301", "非常满意");

    await().atMost(WAIT).until(() -> received.size() == 1);
    Message mo = received.poll();
    assertThat(mo.getHeader(SmppConstants.MESSAGE_TYPE)).isEqualTo("DeliverSm");
    assertThat(mo.getBody(String.class)).isEqualTo("非常满意");
    assertThat(mo.getHeader(SmppConstants.SOURCE_ADDR)).isEqualTo(MOBILE);
    assertThat(mo.getHeader(SmppConstants.DEST_ADDR)).isEqualTo("1069000012301");
  }

  private Exchange send(String text) {
    return send("direct:sms", text);
  }

  private Exchange send(String endpoint, String text) {
    ProducerTemplate producer = camel.createProducerTemplate();
    return producer.request(
        endpoint,
        e -> {
          e.getMessage().setBody(text);
          e.getMessage().setHeaders(Map.of(SmppConstants.DEST_ADDR, MOBILE));
        });
  }
}
