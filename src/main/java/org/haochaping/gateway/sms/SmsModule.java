package org.haochaping.gateway.sms;

import org.apache.camel.CamelContext;
import org.apache.camel.component.smpp.SmppConfiguration;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.GatewayModule;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.sim.SmscSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS over SMPP (docs/sms.md): prompts after completion, the 24-hour reminder, replies that become
 * SMS-channel ratings, delivery receipts, work-order feedback. Starts the built-in SMSC simulator
 * when no SMSC is configured, declares its queues, and binds the beans of routes/sms-*.camel.yaml.
 */
public final class SmsModule implements GatewayModule {

  private static final Logger LOG = LoggerFactory.getLogger(SmsModule.class);

  /** The route that receives deliver_sm (receipts and replies) from the transceiver. */
  static final String RECEIVER_ROUTE = "sms-inbound";

  @Override
  public void configure(CamelContext context, GatewayCore core) throws Exception {
    PropertiesComponent pc = context.getPropertiesComponent();
    if (pc instanceof org.apache.camel.component.properties.PropertiesComponent impl && impl.getEncoding() == null) {
      // connector files are UTF-8 (the signature is Chinese); java.util.Properties would read Latin-1
      impl.setEncoding("UTF-8");
    }
    pc.addLocation("classpath:connectors/smsc.properties");
    SmsSettings settings = SmsSettings.read(key -> pc.resolveProperty(key).orElse(null),
        "http://127.0.0.1:" + core.settings().httpPort());

    boolean simulated = settings.simulated();
    if (simulated && core.settings().production()) {
      throw new IllegalStateException("HCP_DEPLOYMENT=production 需要短信中心 / needs the carrier's SMSC: set HCP_SMSC_HOST, "
          + "HCP_SMSC_PORT, HCP_SMSC_SYSTEM_ID and HCP_SMSC_PASSWORD (docs/sms.md); the built-in SMSC simulator does not run in production");
    }
    if (simulated) {
      String systemId = core.credentials().get("smsc.sim.systemId");
      String password = core.credentials().get("smsc.sim.password");
      SmscSimulator sim = SmscSimulator.start(SmscSimulator.Settings.defaults()
          .withHost("127.0.0.1").withPort(settings.simPort()).withControlPort(settings.simControlPort())
          .withCredentials(systemId, password));
      core.resources().add(sim::stop);
      context.getRegistry().bind("smscSimulator", sim);
      settings = settings.withSmsc("127.0.0.1", sim.port(), systemId, password);
      LOG.warn("No SMSC configured (HCP_SMSC_HOST empty): using the built-in SMSC SIMULATOR on 127.0.0.1:{}{}. "
          + "Nothing reaches a phone. Set HCP_SMSC_HOST/PORT/SYSTEM_ID/PASSWORD for a carrier's SMSC.", sim.port(),
          sim.controlPort() < 0 ? "" : " (control API http://127.0.0.1:" + sim.controlPort() + "/sim/messages)");
    } else if (settings.systemId().isBlank() || settings.password().isBlank()) {
      throw new IllegalArgumentException("HCP_SMSC_HOST is set (" + settings.host()
          + ") but HCP_SMSC_SYSTEM_ID or HCP_SMSC_PASSWORD is empty: the SMSC account is needed to bind");
    }

    SmscLink link = new SmscLink((simulated ? "built-in SMSC simulator " : "")
        + settings.host() + ":" + settings.port(), core.clock());
    SubmitPacer pacer = new SubmitPacer(settings.tps());
    context.addComponent("smsc", new SmscComponent(smppConfiguration(settings), settings, link, pacer));

    BrokerTopology topology = core.topology();
    topology.ensure(SmsOutbox.ADDRESS, SmsOutbox.QUEUE);
    topology.ensure(SmsInbound.ADDRESS, SmsInbound.QUEUE);
    topology.ensure(BrokerTopology.CASE_EVENTS, "sms.prompts");
    topology.ensure(SmsTriggers.LIFECYCLE_EVENTS, "sms.lifecycle");

    var db = core.database();
    var clock = core.clock();
    SmsTemplates templates = SmsTemplates.load(settings.signature());
    SmsMetrics metrics = new SmsMetrics(core.meters(), link);
    SmsLog log = new SmsLog(db, clock);
    SmsConversations conversations = new SmsConversations(db, clock, settings.extensionDigits());
    SmsOptOuts optOuts = new SmsOptOuts(db, clock);
    SmsSchedule schedule = new SmsSchedule(db, clock);
    SmsLogWriter writer = new SmsLogWriter(log, metrics, 512, java.time.Duration.ofMillis(5));
    core.resources().add(writer);
    SmsOutbox outbox = new SmsOutbox(log, writer, core.cipher(), core.publisher(), settings, metrics, core.settings().sendTimeout(),
        clock);
    SmsInbound inbound = new SmsInbound(writer, core.cipher(), core.publisher(), metrics, clock, core.settings().sendTimeout());
    SmsScheduler scheduler = new SmsScheduler(schedule, log, optOuts, conversations, new RatedCases(db, core.cipher()), core.cases(),
        core.links(), templates, outbox, core.profile(), settings, metrics, core.cipher(), clock);
    SmsReplies replies = new SmsReplies(conversations, optOuts, new MoParts(db, clock), outbox, templates, log, core.cases(),
        core.ratingIntake(), core.cipher(), settings, metrics, core.profile().rating().commentMaxLength(), clock);

    core.health().register(new SmscHealthCheck(link));

    Registry registry = context.getRegistry();
    registry.bind("smsSettings", settings);
    registry.bind("smscLink", link);
    registry.bind("smsTemplates", templates);
    registry.bind("smsLog", log);
    registry.bind("smsConversations", conversations);
    registry.bind("smsSchedule", schedule);
    registry.bind("smsOutbox", outbox);
    registry.bind("smsInbound", inbound);
    registry.bind("smsReplies", replies);
    registry.bind("smsScheduler", scheduler);
    registry.bind("smsTriggers", new SmsTriggers(schedule, scheduler, clock));
    LOG.info("SMS: {}, templates from mappings/sms/, quiet hours {}, prompt {} s after completion ({} s for window cases)",
        settings, settings.quietHours() == null ? "none" : settings.quietHours(), settings.promptDelay().toSeconds(),
        settings.windowPromptDelay().toSeconds());
  }

  private static SmppConfiguration smppConfiguration(SmsSettings s) {
    SmppConfiguration c = new SmppConfiguration();
    c.setHost(s.host());
    c.setPort(s.port());
    c.setSystemId(s.systemId());
    c.setPassword(s.password());
    c.setSystemType(s.systemType());
    c.setEnquireLinkTimer((int) s.enquireLink().toMillis());
    c.setTransactionTimer((int) s.transactionTimer().toMillis());
    c.setMessageReceiverRouteId(RECEIVER_ROUTE);
    // camel-smpp writes data_coding from dataCoding and encodes by alphabet: Chinese needs both 8 (UCS-2)
    c.setAlphabet((byte) SmsSegments.DATA_CODING_UCS2);
    c.setDataCoding((byte) SmsSegments.DATA_CODING_UCS2);
    c.setSourceAddr(s.serviceNumber());
    c.setSourceAddrTon(s.sourceTon());
    c.setSourceAddrNpi(s.sourceNpi());
    c.setDestAddrTon(s.destTon());
    c.setDestAddrNpi(s.destNpi());
    c.setRegisteredDelivery(s.registeredDelivery());
    // threads that handle deliver_sm (receipts and replies) and responses on the bind
    c.setPduProcessorDegree(Math.max(3, s.senders()));
    c.setPduProcessorQueueCapacity(Math.max(100, s.senders() * 8));
    return c;
  }
}
