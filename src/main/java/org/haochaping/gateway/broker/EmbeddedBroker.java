package org.haochaping.gateway.broker;

import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apache Artemis broker the gateway starts inside its own JVM when {@code HCP_BROKER_URL} is
 * empty: a real, persistent broker with its journal under {@code <data>/broker}. A rating is
 * acknowledged (202) only once this journal holds it. Window evaluators reach it over MQTT
 * (3.1.1 and 5) on its MQTT acceptor; {@link BrokerSecurity} decides who may do what.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

  /** The in-JVM acceptor the gateway's own clients use. */
  public static final String IN_VM_URL = "vm://0";

  /** The name of the MQTT acceptor, to find its port. */
  private static final String MQTT_ACCEPTOR = "mqtt";

  private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
  private final Path dir;
  private final long minDiskFreeBytes;
  private final BrokerSecurity security;

  private EmbeddedBroker(Path dir, long minDiskFreeBytes, BrokerSecurity security) {
    this.dir = dir;
    this.minDiskFreeBytes = minDiskFreeBytes;
    this.security = security;
  }

  /**
   * Starts the broker.
   *
   * @param dataDir the gateway's data directory; the journal goes under {@code broker/}
   * @param coreAcceptor e.g. {@code tcp://127.0.0.1:61616} for tools and benchmarks, or empty for none
   */
  public static EmbeddedBroker start(Path dataDir, String coreAcceptor) throws Exception {
    return start(dataDir, coreAcceptor, "", 512L * 1024 * 1024);
  }

  /**
   * Starts the broker with an MQTT acceptor as well.
   *
   * @param mqttAcceptor e.g. {@code tcp://0.0.0.0:1883} (port 0: any free port, see {@link #mqttPort()}; it changes when the server is restarted in place), or empty for none
   * @param minDiskFreeBytes below this much free space on the journal's disk the broker blocks senders
   */
  public static EmbeddedBroker start(Path dataDir, String coreAcceptor, String mqttAcceptor, long minDiskFreeBytes) throws Exception {
    return start(dataDir, coreAcceptor, mqttAcceptor, minDiskFreeBytes, new BrokerSecurity());
  }

  /**
   * Starts the broker with security set up before any acceptor opens (broker-only mode: core logins
   * required, MQTT device rules installed).
   */
  public static EmbeddedBroker start(Path dataDir, String coreAcceptor, String mqttAcceptor, long minDiskFreeBytes,
      BrokerSecurity security) throws Exception {
    EmbeddedBroker broker = new EmbeddedBroker(dataDir.resolve("broker"), minDiskFreeBytes, security);
    broker.server.setConfiguration(broker.configuration(coreAcceptor, mqttAcceptor));
    broker.server.setSecurityManager(broker.security);
    broker.server.start();
    if (mqttAcceptor != null && !mqttAcceptor.isBlank() && broker.mqttPort() < 0) {
      // Artemis logs a port it cannot bind and goes on half-initialised; the gateway stops instead.
      broker.server.stop();
      throw new IllegalStateException("the MQTT acceptor " + mqttAcceptor + " could not start (is the port in use?); "
          + "set HCP_MQTT_PORT to a free port, or -1 to run without window evaluators");
    }
    LOG.info("Embedded Artemis broker started, journal under {}{}{}", broker.dir,
        coreAcceptor == null || coreAcceptor.isBlank() ? "" : ", core acceptor " + coreAcceptor,
        mqttAcceptor == null || mqttAcceptor.isBlank() ? "" : ", MQTT acceptor on port " + broker.mqttPort());
    return broker;
  }

  private Configuration configuration(String coreAcceptor, String mqttAcceptor) throws Exception {
    ConfigurationImpl config = new ConfigurationImpl();
    config.setName("haochaping-gateway");
    config.setPersistenceEnabled(true);
    config.setBindingsDirectory(dir.resolve("bindings").toString());
    config.setJournalDirectory(dir.resolve("journal").toString());
    config.setPagingDirectory(dir.resolve("paging").toString());
    config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
    config.setNodeManagerLockDirectory(dir.toString());
    config.setJMXManagementEnabled(false);
    // Security is on for MQTT's sake; the gateway's own anonymous core connections stay trusted (BrokerSecurity).
    config.setSecurityEnabled(true);
    // Artemis's authentication cache keys on user and password only, not on the protocol: an
    // anonymous MQTT client would hit the entry of the trusted in-VM client. BrokerSecurity is asked
    // every time instead, and the evaluator module caches device logins itself.
    config.setAuthenticationCacheSize(0);
    // Artemis blocks every sender when its disk is "full". Its default (90 % of the disk used) stops a
    // gateway on a large, mostly used disk that still has gigabytes free; an absolute floor says what
    // is meant: keep room for the journal to grow and compact. Readiness reports it (BrokerHealthCheck).
    config.setMaxDiskUsage(-1);
    config.setMinDiskFree(minDiskFreeBytes);
    config.addAcceptorConfiguration("in-vm", IN_VM_URL);
    if (coreAcceptor != null && !coreAcceptor.isBlank()) {
      config.addAcceptorConfiguration("core", coreAcceptor + (coreAcceptor.contains("?") ? "&" : "?") + "protocols=CORE");
    }
    if (mqttAcceptor != null && !mqttAcceptor.isBlank()) {
      // MQTT 3.1.1 and 5 both arrive here; devices log in with their own credentials.
      config.addAcceptorConfiguration(MQTT_ACCEPTOR, mqttAcceptor + (mqttAcceptor.contains("?") ? "&" : "?") + "protocols=MQTT");
    }
    config.addAddressSetting("#", new AddressSettings()
        .setDeadLetterAddress(SimpleString.of(BrokerTopology.DEAD_LETTERS))
        .setAutoCreateDeadLetterResources(true)
        .setExpiryAddress(SimpleString.of("ExpiryQueue"))
        .setAutoCreateExpiryResources(true)
        .setMaxDeliveryAttempts(10)
        .setRedeliveryDelay(1_000)
        .setRedeliveryMultiplier(2)
        .setMaxRedeliveryDelay(60_000));
    // A rating is never dropped by the broker: the consumers of `ratings` decide themselves where a
    // message goes (stored, forwarded, dead-lettered with a reason); the broker only retries.
    config.addAddressSetting(BrokerTopology.RATINGS, new AddressSettings()
        .setMaxDeliveryAttempts(-1)
        .setRedeliveryDelay(1_000)
        .setRedeliveryMultiplier(2)
        .setMaxRedeliveryDelay(60_000));
    return config;
  }

  /** Who may use this broker; modules install their rules for named logins (MQTT) here. */
  public BrokerSecurity security() {
    return security;
  }

  /** The port the MQTT acceptor listens on (the actual one when it was configured as 0); -1 when there is none. */
  public int mqttPort() {
    var s = server.getActiveMQServer();
    if (s == null || s.getRemotingService() == null || !(s.getRemotingService().getAcceptor(MQTT_ACCEPTOR) instanceof NettyAcceptor a)
        || !a.isStarted()) {
      return -1;
    }
    // 0 when the bind failed (Artemis logs it and goes on).
    return a.getActualPort() > 0 ? a.getActualPort() : -1;
  }

  /** Stops the broker in place, journal kept (tests of reconnection; {@link #startServer()} brings it back). */
  public synchronized void stopServer() throws Exception {
    server.stop();
    LOG.warn("Embedded Artemis broker stopped in place");
  }

  /** Starts the broker stopped by {@link #stopServer()} again, on the same journal, acceptors and ports. */
  public synchronized void startServer() throws Exception {
    server.start();
    LOG.info("Embedded Artemis broker started again, journal under {}", dir);
  }

  public boolean isActive() {
    return server.getActiveMQServer() != null && server.getActiveMQServer().isActive();
  }

  /** Why the broker refuses to take messages for lack of disk, if it does. */
  public java.util.Optional<String> diskProblem() {
    var active = server.getActiveMQServer();
    if (active == null || active.getPagingManager() == null || !active.getPagingManager().isDiskFull()) {
      return java.util.Optional.empty();
    }
    long free = active.getPagingManager().getDiskUsableSpace();
    return java.util.Optional.of("broker disk full: " + free / (1024 * 1024) + " MiB free under " + dir
        + ", at least " + minDiskFreeBytes / (1024 * 1024) + " MiB needed (HCP_BROKER_MIN_DISK_FREE_MB); senders are blocked");
  }

  @Override
  public void close() throws Exception {
    server.stop();
    LOG.info("Embedded Artemis broker stopped");
  }
}
