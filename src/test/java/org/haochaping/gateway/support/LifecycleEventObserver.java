package org.haochaping.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.timers.LifecycleOutbox;

/**
 * What another module sees on {@code lifecycle-events}: a durable queue of its own on the address,
 * consumed with a real JMS client, every event kept for the test to count.
 */
public final class LifecycleEventObserver implements AutoCloseable {

  private final ConcurrentLinkedQueue<JsonNode> events = new ConcurrentLinkedQueue<>();
  private final Connection connection;

  private LifecycleEventObserver(Connection connection) {
    this.connection = connection;
  }

  public static LifecycleEventObserver open(GatewayCore core, String queue) throws Exception {
    core.topology().ensure(LifecycleOutbox.ADDRESS, queue);
    Connection connection = core.connectionFactory().createConnection();
    LifecycleEventObserver observer = new LifecycleEventObserver(connection);
    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageConsumer consumer = session.createConsumer(session.createQueue(LifecycleOutbox.ADDRESS + "::" + queue));
    consumer.setMessageListener(m -> {
      try {
        BytesMessage b = (BytesMessage) m;
        byte[] body = new byte[(int) b.getBodyLength()];
        b.readBytes(body);
        observer.events.add(Json.MAPPER.readTree(body));
      } catch (JMSException | java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
    connection.start();
    return observer;
  }

  public List<JsonNode> all() {
    return List.copyOf(events);
  }

  public List<JsonNode> ofType(String type) {
    return events.stream().filter(e -> type.equals(e.path("type").asText())).toList();
  }

  public List<JsonNode> of(String type, String caseNo) {
    return ofType(type).stream().filter(e -> caseNo.equals(e.path("caseNo").asText())).toList();
  }

  @Override
  public void close() throws JMSException {
    connection.close();
  }
}
