package org.haochaping.gateway.broker;

import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apache Artemis broker the gateway starts inside its own JVM when {@code HCP_BROKER_URL} is
 * empty: a real, persistent broker with its journal under {@code <data>/broker}. A rating is
 * acknowledged (202) only once this journal holds it.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

  /** The in-JVM acceptor the gateway's own clients use. */
  public static final String IN_VM_URL = "vm://0";

  private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
  private final Path dir;
  private final long minDiskFreeBytes;

  private EmbeddedBroker(Path dir, long minDiskFreeBytes) {
    this.dir = dir;
    this.minDiskFreeBytes = minDiskFreeBytes;
  }

  /**
   * Starts the broker.
   *
   * @param dataDir the gateway's data directory; the journal goes under {@code broker/}
   * @param coreAcceptor e.g. {@code tcp://127.0.0.1:61616} for tools and benchmarks, or empty for none
   * @param minDiskFreeBytes below this much free space on the journal's disk the broker blocks senders
   */
  public static EmbeddedBroker start(Path dataDir, String coreAcceptor, long minDiskFreeBytes) throws Exception {
    EmbeddedBroker broker = new EmbeddedBroker(dataDir.resolve("broker"), minDiskFreeBytes);
    broker.server.setConfiguration(broker.configuration(coreAcceptor));
    broker.server.start();
    LOG.info("Embedded Artemis broker started, journal under {}{}", broker.dir,
        coreAcceptor == null || coreAcceptor.isBlank() ? "" : ", core acceptor " + coreAcceptor);
    return broker;
  }

  private Configuration configuration(String coreAcceptor) throws Exception {
    ConfigurationImpl config = new ConfigurationImpl();
    config.setName("haochaping-gateway");
    config.setPersistenceEnabled(true);
    config.setBindingsDirectory(dir.resolve("bindings").toString());
    config.setJournalDirectory(dir.resolve("journal").toString());
    config.setPagingDirectory(dir.resolve("paging").toString());
    config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
    config.setNodeManagerLockDirectory(dir.toString());
    config.setJMXManagementEnabled(false);
    config.setSecurityEnabled(false);
    // Artemis blocks every sender when its disk is "full". Its default (90 % of the disk used) stops a
    // gateway on a large, mostly used disk that still has gigabytes free; an absolute floor says what
    // is meant: keep room for the journal to grow and compact. Readiness reports it (BrokerHealthCheck).
    config.setMaxDiskUsage(-1);
    config.setMinDiskFree(minDiskFreeBytes);
    config.addAcceptorConfiguration("in-vm", IN_VM_URL);
    if (coreAcceptor != null && !coreAcceptor.isBlank()) {
      config.addAcceptorConfiguration("core", coreAcceptor + (coreAcceptor.contains("?") ? "&" : "?") + "protocols=CORE");
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
