package org.haochaping.gateway.province;

import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.broker.DurablePublisher;
import org.haochaping.gateway.ops.DeadLetterQueue;

/**
 * The dead-letter queue of {@code province.forward}: ratings the province refused for good
 * (REJECTED_BY_PROVINCE, with its code and message) or that the gateway could not deliver
 * (DEAD_LETTER). Kept in the database beside the forwarding state, so an entry, its reason and the
 * rating's status change in one transaction. A replay sends the rating again to the
 * {@code province.forward} queue only (its fully qualified name), not to the other consumers of
 * {@code ratings}.
 */
public final class ProvinceDeadLetters implements DeadLetterQueue {

  public static final String NAME = ProvinceForwardingModule.QUEUE;

  private final ForwardingStore store;
  private final ActiveMQConnectionFactory factory;
  private final String destination;

  public ProvinceDeadLetters(ForwardingStore store, ActiveMQConnectionFactory factory) {
    this.store = store;
    this.factory = factory;
    this.destination = new BrokerTopology.Queue(BrokerTopology.RATINGS, ProvinceForwardingModule.QUEUE).fqqn();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Page list(int offset, int limit) {
    return new Page(store.deadLetterCount(), store.deadLetters(offset, limit));
  }

  @Override
  public Replayed replay(List<String> ids, int limit) throws Exception {
    Set<String> asked = new LinkedHashSet<>(ids);
    List<ForwardingStore.Replay> replays = store.replay(new ArrayList<>(asked), limit);
    // One transacted session: every replayed rating is durable on the broker at the commit.
    try (JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
      // ratings is a multicast address: its fully qualified queue is reached as a topic
      Topic queue = context.createTopic(destination);
      JMSProducer producer = context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT);
      for (ForwardingStore.Replay r : replays) {
        BytesMessage message = context.createBytesMessage();
        message.writeBytes(r.body());
        // A new duplicate-detection id per replay: the broker must not drop it as the first delivery's twin.
        message.setStringProperty(DurablePublisher.DUPLICATE_ID, r.ratingId() + ":replay:" + r.replay());
        producer.send(queue, message);
      }
      context.commit();
    }
    List<String> sent = replays.stream().map(ForwardingStore.Replay::ratingId).toList();
    asked.removeAll(sent);
    return new Replayed(sent, List.copyOf(asked));
  }

  @Override
  public Replayed discard(List<String> ids) {
    Set<String> asked = new LinkedHashSet<>(ids);
    List<String> gone = store.discardDeadLetters(new ArrayList<>(asked));
    asked.removeAll(gone);
    return new Replayed(gone, List.copyOf(asked));
  }
}
