package org.haochaping.gateway.broker;

import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses and queues the gateway relies on (DESIGN §5), created at start-up on the embedded
 * or the external broker alike, so that no rating is published before the queues that must hold it exist.
 */
public final class BrokerTopology {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerTopology.class);

  /** Every accepted rating is published here once; each consumer has its own durable queue. */
  public static final String RATINGS = "ratings";

  /** Where the broker puts what a consumer gave up on. */
  public static final String DEAD_LETTERS = "DLQ";

  /** The durable queues on {@link #RATINGS}: one per consumer. */
  public static final List<String> RATINGS_QUEUES = List.of("ledger");

  private BrokerTopology() {}

  /** The fully qualified name a consumer uses: {@code ratings::ledger}. */
  public static String ratingsQueue(String queue) {
    return RATINGS + "::" + queue;
  }

  /** Creates what is missing; leaves what exists as it is. */
  public static void ensure(ServerLocator locator) throws Exception {
    try (ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session = factory.createSession()) {
      if (!session.addressQuery(SimpleString.of(RATINGS)).isExists()) {
        session.createAddress(SimpleString.of(RATINGS), RoutingType.MULTICAST, false);
      }
      for (String queue : RATINGS_QUEUES) {
        if (!session.queueQuery(SimpleString.of(queue)).isExists()) {
          session.createQueue(QueueConfiguration.of(queue)
              .setAddress(RATINGS)
              .setRoutingType(RoutingType.MULTICAST)
              .setDurable(true));
          LOG.info("Created durable queue {} on address {}", queue, RATINGS);
        }
      }
    }
  }
}
