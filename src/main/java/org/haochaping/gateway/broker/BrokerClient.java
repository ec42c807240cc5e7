package org.haochaping.gateway.broker;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * How the gateway connects to its broker: the embedded one in-JVM, or an external one by URL.
 * One connection factory serves the publisher and every Camel JMS consumer.
 */
public final class BrokerClient {

  private BrokerClient() {}

  public static ActiveMQConnectionFactory connectionFactory(String url, String user, String password) {
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
    if (user != null && !user.isBlank()) {
      cf.setUser(user);
      cf.setPassword(password);
    }
    // Sends complete asynchronously (many in flight share one journal sync); confirmations need a window.
    cf.setConfirmationWindowSize(1024 * 1024);
    cf.setBlockOnDurableSend(true);
    // An external broker that restarts is reconnected to, forever, with backoff up to 2 s: one
    // attempt every 2 s is nothing to a broker, and ratings flow again within 2 s of its return.
    cf.setReconnectAttempts(-1);
    cf.setRetryInterval(500);
    cf.setRetryIntervalMultiplier(2.0);
    cf.setMaxRetryInterval(2_000);
    cf.setCallTimeout(10_000);
    // A blocking call made while the connection fails over gives up after as long (Artemis waits
    // forever by default): a send answers 503 instead of hanging, and a stop does not hang.
    cf.setCallFailoverTimeout(10_000);
    // A node that dies (kill -9, lost host) keeps the messages it had taken locked on an external
    // broker until its connection's TTL runs out, since the broker keeps its sessions for a
    // reconnect: 15 s instead of Artemis's 60 s, with a ping every 5 s. In-VM keeps Artemis's defaults:
    // a short TTL there cut the gateway off its own broker when a busy machine delayed a ping, and no
    // TTL at all left sessions hanging after the broker was restarted in place.
    if (!url.startsWith("vm:")) {
      cf.setConnectionTTL(15_000);
      cf.setClientFailureCheckPeriod(5_000);
    }
    return cf;
  }

  /**
   * For consumers (the Camel JMS component, the forwarding's consumers): the same connection without
   * a confirmation window. With one, the broker keeps every packet it sends on a session — each
   * message delivered, each answer — until the client confirms a window's worth (1 MiB) of them, so
   * that a session could be reattached after a network blip; with a few hundred consumer sessions that
   * held some 500 MB of delivered messages in a gateway's heap (docs/benchmarks.md, soak). A consumer
   * that loses its connection gets a new session instead, and what it had not acknowledged comes again.
   */
  public static ActiveMQConnectionFactory consumerConnectionFactory(String url, String user, String password) {
    ActiveMQConnectionFactory cf = connectionFactory(url, user, password);
    cf.setConfirmationWindowSize(-1);
    return cf;
  }
}
