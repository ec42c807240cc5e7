package org.haochaping.gateway.broker;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent sends to the broker that complete when the broker has the message in its journal.
 *
 * <p>Each send is asynchronous with a confirmation (JMS 2.0 CompletionListener over Artemis's
 * confirmation window), so many sends in flight share one journal sync; the caller waits on the
 * returned future before it answers 202. A pool of sessions (JMS sessions are single-threaded)
 * lets request threads send at once. Every message carries Artemis's duplicate-detection id, so a
 * replayed send of the same rating is dropped by the broker.
 */
public final class DurablePublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DurablePublisher.class);

  /** Artemis's duplicate detection property ({@code Message.HDR_DUPLICATE_DETECTION_ID}). */
  public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

  private final Connection connection;
  private final Lane[] lanes;
  private final AtomicInteger next = new AtomicInteger();

  private static final class Lane {
    final Session session;
    final MessageProducer producer;
    /**
     * One destination object per address: creating a topic and sending to a new one each cost a
     * blocking address query to the broker, twice per message under the lane's lock; a destination
     * that was sent to once is known to exist (the gateway's addresses are declared at start).
     */
    final Map<String, Destination> topics = new java.util.HashMap<>();

    Lane(Connection connection) throws JMSException {
      session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      producer = session.createProducer(null);
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }
  }

  /** Why the connection to the broker is down while the client reconnects; null when it is up. */
  private volatile String down;
  private volatile long downSinceNanos;

  public DurablePublisher(ActiveMQConnectionFactory factory, int lanes) throws JMSException {
    this.connection = factory.createConnection();
    this.connection.setExceptionListener(e -> LOG.warn("Broker connection problem: {}", e.getMessage()));
    // While the client reconnects, a send would block until the call timeout and then fail anyway:
    // refuse at once instead, so a client hears 503 in milliseconds and retries, not after 20 s.
    ((ActiveMQConnection) connection).setFailoverListener(event -> {
      switch (event) {
        case FAILURE_DETECTED -> {
          downSinceNanos = System.nanoTime();
          down = "connection to the broker lost, reconnecting";
          LOG.warn("Broker connection lost: sends are refused until it is back");
        }
        case FAILOVER_FAILED -> down = "connection to the broker lost, reconnecting failed";
        case FAILOVER_COMPLETED -> {
          down = null;
          LOG.info("Broker connection back after {} ms", (System.nanoTime() - downSinceNanos) / 1_000_000);
        }
        default -> { }
      }
    });
    this.lanes = new Lane[lanes];
    for (int i = 0; i < lanes; i++) {
      this.lanes[i] = new Lane(connection);
    }
    connection.start();
  }

  /**
   * Sends {@code body} persistently to the multicast {@code address}.
   *
   * @return completes when the broker has persisted the message, or exceptionally when it cannot
   */
  public CompletableFuture<Void> publish(String address, byte[] body, String duplicateId, Map<String, String> properties) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    String problem = down;
    if (problem != null) {
      done.completeExceptionally(new JMSException(problem + " (" + (System.nanoTime() - downSinceNanos) / 1_000_000_000L + " s)"));
      return done;
    }
    Lane lane = lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
    try {
      synchronized (lane) {
        BytesMessage message = lane.session.createBytesMessage();
        message.writeBytes(body);
        message.setStringProperty(DUPLICATE_ID, duplicateId);
        for (Map.Entry<String, String> p : properties.entrySet()) {
          message.setStringProperty(p.getKey(), p.getValue());
        }
        Destination topic = lane.topics.get(address);
        if (topic == null) {
          topic = lane.session.createTopic(address);
          lane.topics.put(address, topic);
        }
        lane.producer.send(topic, message, new CompletionListener() {
          @Override
          public void onCompletion(Message m) {
            done.complete(null);
          }

          @Override
          public void onException(Message m, Exception e) {
            done.completeExceptionally(e);
          }
        });
      }
    } catch (JMSException | RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  /** Why nothing can be sent now (the connection is down and reconnecting), or empty. */
  public java.util.Optional<String> problem() {
    return java.util.Optional.ofNullable(down);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (JMSException e) {
      LOG.debug("closing the publisher connection: {}", e.getMessage());
    }
  }
}
