package org.haochaping.gateway.province;

import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.haochaping.gateway.Credentials;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.GatewayModule;
import org.haochaping.gateway.GatewaySettings;
import org.haochaping.gateway.broker.BrokerClient;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.broker.EmbeddedBroker;
import org.haochaping.gateway.ops.DeadLetterAdminApi;
import org.haochaping.gateway.province.envelope.HmacJsonEnvelope;
import org.haochaping.gateway.province.envelope.ProvinceEnvelope;
import org.haochaping.gateway.province.envelope.ProvinceEnvelopes;
import org.haochaping.gateway.province.envelope.Sm2KeyPair;
import org.haochaping.gateway.province.envelope.Sm2Sm4Envelope;
import org.haochaping.gateway.sim.ProvinceSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwarding to the provincial 好差评 system (DESIGN §5): the queues {@code province.forward} on
 * {@code ratings} and {@code province.cases} on {@code case-events}, the connector of the province
 * ({@code connectors/province-<name>.properties}), and — when no {@code HCP_PROVINCE_URL} is set —
 * the built-in province simulator, with its keys generated into {@code data/credentials.properties}.
 *
 * <p>Beans for the routes: {@code provinceForwarder} (routes/forward-province.camel.yaml) and
 * {@code deadLetterAdminApi} (routes/admin-dlq.camel.yaml); {@code provinceSimulator} when running.
 */
public final class ProvinceForwardingModule implements GatewayModule {

  private static final Logger LOG = LoggerFactory.getLogger(ProvinceForwardingModule.class);

  /** The queue of every accepted rating on its way to the province. */
  public static final String QUEUE = "province.forward";
  /** The queue of every case event on its way to the province. */
  public static final String CASES_QUEUE = "province.cases";

  @Override
  public void configure(CamelContext context, GatewayCore core) throws Exception {
    PropertiesComponent pc = context.getPropertiesComponent();
    String configured = pc.resolveProperty("hcp.province.connector").map(String::strip).orElse("");
    String name;
    if (configured.endsWith(".properties")) {
      // an operator's own connector file (a province the jar does not know yet)
      name = Path.of(configured).getFileName().toString().replaceFirst("^province-", "").replaceFirst("\\.properties$", "");
      pc.addLocation("file:" + configured);
    } else {
      name = configured.isEmpty() ? core.profile().profile() : configured;
      pc.addLocation("classpath:" + ConnectorProfile.location(name));
    }
    ConnectorProfile connector = ConnectorProfile.read(name, key -> pc.resolveProperty(key).orElse(null));

    String target = connector.url();
    if (connector.simulated() && core.settings().production()) {
      throw new IllegalStateException("HCP_DEPLOYMENT=production 需要省平台地址 / needs the provincial platform: set HCP_PROVINCE_URL "
          + "and the connector's keys (docs/province-guide.md); the built-in province simulator does not run in production");
    }
    if (connector.simulated()) {
      int port = Integer.parseInt(pc.resolveProperty("hcp.province.sim.port").map(String::strip).filter(s -> !s.isEmpty()).orElse("9080"));
      ProvinceSimulator simulator = startSimulator(connector, core.codes().province(), core.credentials(), port);
      core.resources().add(simulator);
      context.getRegistry().bind("provinceSimulator", simulator);
      connector = connector.withUrl(simulator.baseUrl()).withEnvelope(gatewaySide(connector, core.credentials()));
      target = "built-in SIMULATOR " + simulator.baseUrl() + " (HCP_PROVINCE_URL is empty)";
    }
    // The envelope's time is the real one: the province checks it against its own clock (±300 s).
    ProvinceEnvelope envelope = ProvinceEnvelopes.create(connector.envelopeKind(), connector.envelope(), Clock.systemUTC());

    core.topology().ensure(BrokerTopology.RATINGS, QUEUE);
    core.topology().ensure(BrokerTopology.CASE_EVENTS, CASES_QUEUE);
    // The forwarding consumers (hundreds: each waits for its batch) prefetch little: with the
    // default 1 MiB each, a backlog would fill the heap; 16 KiB (about ten ratings) each saves most
    // round trips to the broker and bounds the buffers at consumers x 16 KiB.
    GatewaySettings s = core.settings();
    ActiveMQConnectionFactory smallPrefetch = BrokerClient.consumerConnectionFactory(
        s.embeddedBroker() ? EmbeddedBroker.IN_VM_URL : s.brokerUrl(), s.brokerUser(), s.brokerPassword());
    smallPrefetch.setConsumerWindowSize(16 * 1024);
    core.resources().add(smallPrefetch);
    context.getRegistry().bind("provinceBroker", smallPrefetch);

    ForwardingStore store = new ForwardingStore(core.database(), core.ledger(), core.clock());
    CircuitBreaker breaker = new CircuitBreaker(connector.breakerFailures(), connector.breakerOpen(), connector.breakerMaxOpen(),
        Clock.systemUTC());
    ProvinceForwarder forwarder = new ProvinceForwarder(connector,
        new NationalMapping(core.codes(), core.profile().dataSource()), new ProvinceClient(connector, envelope), store,
        core.cases(), core.codec(), breaker, new ForwardingMetrics(core.meters(), breaker));
    core.resources().add(forwarder);
    context.getRegistry().bind("provinceForwarder", forwarder);
    context.getRegistry().bind("forwardingStore", store);

    DeadLetterAdminApi admin = context.getRegistry().lookupByNameAndType("deadLetterAdminApi", DeadLetterAdminApi.class);
    admin.register(new ProvinceDeadLetters(store, core.connectionFactory()));
    Duration backlogWarning = Duration.parse(pc.resolveProperty("hcp.province.backlog-warning").map(String::strip)
        .filter(v -> !v.isEmpty()).orElse("PT15M"));
    core.health().register(new ProvinceHealthCheck(forwarder, store, target, backlogWarning));
    Gauge.builder("hcp.province.oldest.unforwarded", store, ProvinceForwardingModule::oldestSeconds).baseUnit("seconds")
        .description("Age of the oldest rating not yet forwarded to the province (0 when none waits)").register(core.meters());
    LOG.info("Forwarding to the {} 好差评 platform: {}", core.codes().province(), connector);
  }

  private static double oldestSeconds(ForwardingStore store) {
    try {
      return store.oldestUnforwardedAge().map(Duration::toSeconds).orElse(0L);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The simulated province, with its side of the envelope from the credentials file (made on first start). */
  static ProvinceSimulator startSimulator(ConnectorProfile connector, String province, Credentials credentials, int port) {
    Map<String, String> provinceSide = new LinkedHashMap<>();
    switch (connector.envelopeKind()) {
      case HmacJsonEnvelope.KIND -> {
        provinceSide.put("appKey", connector.envelope().getOrDefault("appKey", "hcp-gateway"));
        provinceSide.put("secret", simulatorSecret(credentials));
      }
      case Sm2Sm4Envelope.KIND -> {
        provinceSide.put("appMark", connector.envelope().getOrDefault("appMark", "hcp-gateway"));
        provinceSide.put("privateKey", provinceKeys(credentials).privateKeyHex());
        provinceSide.put("peerPublicKey", gatewayKeys(credentials).publicKeyHex());
      }
      default -> throw new IllegalArgumentException("the simulator has no envelope " + connector.envelopeKind());
    }
    ProvinceSimulator simulator;
    try {
      simulator = ProvinceSimulator.start(new ProvinceSimulator.Settings("127.0.0.1", port, province, connector.envelopeKind(),
          provinceSide, Clock.systemUTC(), System.nanoTime()));
    } catch (RuntimeException e) {
      throw new IllegalStateException("the built-in province simulator cannot listen on port " + port
          + " (set HCP_PROVINCE_SIM_PORT to another port, or HCP_PROVINCE_URL to a real province): " + e.getMessage(), e);
    }
    // Inside the gateway's heap: the records of the latest 20,000 only (the checks and counters stay exact).
    simulator.ledger().keepLatest(20_000);
    LOG.warn("Province: HCP_PROVINCE_URL is empty, so ratings go to the built-in SIMULATOR of the {} 好差评 platform at {} "
        + "— NOT to a real province", province, simulator.baseUrl());
    return simulator;
  }

  /** The gateway's side of the simulator's envelope. */
  static Map<String, String> gatewaySide(ConnectorProfile connector, Credentials credentials) {
    Map<String, String> side = new LinkedHashMap<>();
    side.put("kind", connector.envelopeKind());
    if (connector.envelopeKind().equals(HmacJsonEnvelope.KIND)) {
      side.put("appKey", connector.envelope().getOrDefault("appKey", "hcp-gateway"));
      side.put("secret", simulatorSecret(credentials));
    } else {
      side.put("appMark", connector.envelope().getOrDefault("appMark", "hcp-gateway"));
      side.put("privateKey", gatewayKeys(credentials).privateKeyHex());
      side.put("peerPublicKey", provinceKeys(credentials).publicKeyHex());
    }
    return side;
  }

  private static String simulatorSecret(Credentials credentials) {
    return credentials.getOrCreate("province.sim.secret", () -> {
      byte[] b = new byte[24];
      new SecureRandom().nextBytes(b);
      return HexFormat.of().formatHex(b);
    });
  }

  private static Sm2KeyPair provinceKeys(Credentials credentials) {
    return Sm2KeyPair.fromPrivateKey(credentials.getOrCreate("province.sim.provincePrivateKey",
        () -> Sm2KeyPair.generate().privateKeyHex()));
  }

  private static Sm2KeyPair gatewayKeys(Credentials credentials) {
    return Sm2KeyPair.fromPrivateKey(credentials.getOrCreate("province.sim.gatewayPrivateKey",
        () -> Sm2KeyPair.generate().privateKeyHex()));
  }
}
