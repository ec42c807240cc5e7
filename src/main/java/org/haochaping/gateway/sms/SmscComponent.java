package org.haochaping.gateway.sms;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.component.smpp.SmppComponent;
import org.apache.camel.component.smpp.SmppConfiguration;

/**
 * camel-smpp configured once, in Java, from {@code connectors/smsc.properties}: routes say
 * {@code smsc:carrier} and never carry a host or a password in a URI (which Camel would log).
 * The endpoints it makes bind as a transceiver with reconnect backoff ({@link SmscTransceiver}).
 */
public final class SmscComponent extends SmppComponent {

  private final SmsSettings settings;
  private final SmscLink link;
  private final SubmitPacer pacer;

  public SmscComponent(SmppConfiguration configuration, SmsSettings settings, SmscLink link, SubmitPacer pacer) {
    super(configuration);
    this.settings = settings;
    this.link = link;
    this.pacer = pacer;
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected Endpoint createEndpoint(String uri, String remaining, Map parameters) throws Exception {
    // No host/port/system id from the URI: the configuration is the connector file's.
    SmscEndpoint endpoint = new SmscEndpoint(uri, this, getConfiguration().copy(), settings, link, pacer);
    setProperties(endpoint, parameters);
    return endpoint;
  }
}
