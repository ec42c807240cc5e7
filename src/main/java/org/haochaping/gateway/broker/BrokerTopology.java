package org.haochaping.gateway.broker;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses and queues the gateway relies on (DESIGN §5), created at start-up on the embedded
 * or the external broker alike, before any route starts, so that nothing is published before the
 * queues that must hold it exist. Each module declares its own queues here.
 */
public final class BrokerTopology {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerTopology.class);

  /** Every accepted rating is published here once; each consumer has its own durable queue. */
  public static final String RATINGS = "ratings";

  /** Every case arrival and status change ({@code CaseEvent}); prompts and timers consume it. */
  public static final String CASE_EVENTS = "case-events";

  /** Where the broker puts what a consumer gave up on. */
  public static final String DEAD_LETTERS = "DLQ";

  /** A durable multicast queue: the address it listens to and its own name. */
  public record Queue(String address, String name) {
    /** The fully qualified name a JMS consumer uses, e.g. {@code ratings::ledger}. */
    public String fqqn() {
      return address + "::" + name;
    }
  }

  private final ServerLocator locator;
  private final String user;
  private final String password;
  private final List<Queue> queues = new ArrayList<>();

  public BrokerTopology(ServerLocator locator) {
    this(locator, "", "");
  }

  /** On an external broker that wants a login ({@code HCP_BROKER_USER}, {@code HCP_BROKER_PASSWORD}). */
  public BrokerTopology(ServerLocator locator, String user, String password) {
    this.locator = locator;
    this.user = user == null || user.isBlank() ? null : user;
    this.password = this.user == null ? null : password;
  }

  /** A core session as the gateway's broker user (anonymous on the embedded broker). */
  public ClientSession session(ClientSessionFactory factory) throws Exception {
    return factory.createSession(user, password, false, true, true, locator.isPreAcknowledge(), locator.getAckBatchSize());
  }

  /** Creates the multicast address unless it exists (messages sent to it reach the queues bound later). */
  public synchronized void ensureAddress(String address) throws Exception {
    try (ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session = session(factory)) {
      if (!session.addressQuery(SimpleString.of(address)).isExists()) {
        session.createAddress(SimpleString.of(address), RoutingType.MULTICAST, false);
      }
    }
  }

  /** Creates the queue (and its address) unless it exists. */
  public synchronized Queue ensure(String address, String queue) throws Exception {
    try (ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session = session(factory)) {
      if (!session.addressQuery(SimpleString.of(address)).isExists()) {
        session.createAddress(SimpleString.of(address), RoutingType.MULTICAST, false);
      }
      if (!session.queueQuery(SimpleString.of(queue)).isExists()) {
        session.createQueue(QueueConfiguration.of(queue)
            .setAddress(address)
            .setRoutingType(RoutingType.MULTICAST)
            .setDurable(true));
        LOG.info("Created durable queue {} on address {}", queue, address);
      }
    }
    Queue q = new Queue(address, queue);
    if (!queues.contains(q)) {
      queues.add(q);
    }
    return q;
  }

  /** Every queue declared so far, for health details and the console. */
  public synchronized List<Queue> queues() {
    return List.copyOf(queues);
  }

  public ServerLocator locator() {
    return locator;
  }
}
