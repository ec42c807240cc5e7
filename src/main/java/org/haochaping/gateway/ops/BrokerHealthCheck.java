package org.haochaping.gateway.ops;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.haochaping.gateway.broker.BrokerTopology;

/**
 * Ready only when the broker answers: without it no rating can be acknowledged. Details carry the
 * depth and consumers of every declared queue, so a growing backlog shows before it hurts.
 */
public final class BrokerHealthCheck extends AbstractHealthCheck {

  private final BrokerTopology topology;
  private final String description;
  private final Supplier<Optional<String>> storageProblem;
  private final Supplier<Optional<String>> linkProblem;
  private ServerLocator probe;
  private ClientSessionFactory factory;
  private ClientSession session;
  private static final long DEPTH_RETRY_NANOS = 10_000_000_000L;
  private long depthFailedAt = System.nanoTime() - DEPTH_RETRY_NANOS;

  /**
   * @param storageProblem why the broker cannot store a message now (an embedded broker out of disk),
   *     or empty
   * @param linkProblem why the gateway's own connection to the broker is down (it is reconnecting),
   *     or empty
   */
  public BrokerHealthCheck(BrokerTopology topology, String description, Supplier<Optional<String>> storageProblem,
      Supplier<Optional<String>> linkProblem) {
    super("hcp", "broker");
    this.topology = topology;
    this.description = description;
    this.storageProblem = storageProblem;
    this.linkProblem = linkProblem;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected synchronized void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    builder.detail("broker", description);
    Optional<String> link = linkProblem.get();
    if (link.isPresent()) {
      // Known already, without asking the broker (which would wait for its connect attempt).
      builder.message("broker unreachable: " + link.get()).down();
      return;
    }
    try {
      ClientSession s = session();
      for (BrokerTopology.Queue queue : topology.queues()) {
        var q = s.queueQuery(SimpleString.of(queue.name()));
        builder.detail("queue." + queue.name() + ".depth", q.isExists() ? q.getMessageCount() : -1);
        builder.detail("queue." + queue.name() + ".consumers", q.isExists() ? q.getConsumerCount() : 0);
      }
      Optional<String> problem = storageProblem.get();
      if (problem.isPresent()) {
        builder.message(problem.get()).down();
      } else {
        builder.up();
      }
    } catch (Exception e) {
      close();
      builder.message("broker unreachable: " + e.getMessage()).error(e).down();
    }
  }

  /**
   * Messages waiting in {@code queue} now, for the gauge {@code hcp_broker_queue_depth}; NaN when the
   * broker does not answer or the queue does not exist.
   */
  public synchronized double depth(String queue) {
    // One scrape reads every queue: after a failure the others do not each wait for the broker again.
    if (System.nanoTime() - depthFailedAt < DEPTH_RETRY_NANOS) {
      return Double.NaN;
    }
    try {
      var q = session().queueQuery(SimpleString.of(queue));
      return q.isExists() ? q.getMessageCount() : Double.NaN;
    } catch (Exception e) {
      close();
      depthFailedAt = System.nanoTime();
      return Double.NaN;
    }
  }

  private ClientSession session() throws Exception {
    if (session == null || session.isClosed()) {
      factory = probe().createSessionFactory();
      session = topology.session(factory);
    }
    return session;
  }

  /**
   * Its own connection to the broker, which fails fast: the gateway's connections wait out a
   * broker restart (reconnect forever), and a health check on one of them would wait too — the
   * person on call, and the load balancer, need "unreachable" within seconds, every time they ask.
   */
  private ServerLocator probe() {
    if (probe == null) {
      probe = ActiveMQClient.createServerLocatorWithoutHA(topology.locator().getStaticTransportConfigurations());
      probe.setReconnectAttempts(0);
      probe.setInitialConnectAttempts(1);
      probe.setCallTimeout(3_000);
      probe.setCallFailoverTimeout(3_000);
      probe.setConnectionTTL(topology.locator().getConnectionTTL());
    }
    return probe;
  }

  public synchronized void close() {
    try {
      if (session != null) {
        session.close();
      }
      if (factory != null) {
        factory.close();
      }
    } catch (Exception ignored) {
      // closing what is already broken
    }
    session = null;
    factory = null;
  }

  /** Closes the probe connection for good (gateway stop). */
  public synchronized void shutdown() {
    close();
    if (probe != null) {
      probe.close();
      probe = null;
    }
  }
}
