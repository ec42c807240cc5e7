package org.haochaping.gateway.sms;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.smpp.SmppConfiguration;
import org.apache.camel.component.smpp.SmppEndpoint;

/**
 * A camel-smpp endpoint whose producer is the gateway's transceiver. Delivery receipts and MO
 * arrive on the same bind and go to the route named by {@code messageReceiverRouteId}; there is
 * no separate receiver bind (the carrier counts every bind against the account).
 */
public final class SmscEndpoint extends SmppEndpoint {

  private final SmsSettings settings;
  private final SmscLink link;
  private final SubmitPacer pacer;

  SmscEndpoint(String uri, SmscComponent component, SmppConfiguration configuration, SmsSettings settings, SmscLink link,
      SubmitPacer pacer) {
    super(uri, component, configuration);
    this.settings = settings;
    this.link = link;
    this.pacer = pacer;
  }

  @Override
  public Producer createProducer() {
    return new SmscTransceiver(this, settings, link, pacer);
  }

  @Override
  public Consumer createConsumer(Processor processor) {
    throw new UnsupportedOperationException("smsc: receipts and replies come on the transceiver bind; "
        + "route them with messageReceiverRouteId (routes/sms-inbound.camel.yaml)");
  }

  @Override
  public boolean isSingleton() {
    return true;
  }
}
