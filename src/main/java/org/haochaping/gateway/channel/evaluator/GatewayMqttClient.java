package org.haochaping.gateway.channel.evaluator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the gateway's MQTT connections (Paho v5), handed to Camel's paho-mqtt5 endpoints with
 * {@code client=#bean}, that keeps its subscriptions alive by itself.
 *
 * <p>Why: camel-paho-mqtt5 4.14 resubscribes after an automatic reconnect from inside Paho's
 * callback, ignores the SUBACK reason codes and only logs an exception; the route then shows
 * Started and consumes nothing (CAMEL-24511, fixed in Camel 4.23 by restarting the route). This
 * client takes that job over:
 *
 * <ul>
 *   <li>it records every subscription the Camel consumer makes, and checks each SUBACK reason code
 *       (0x80 and above is a refusal, e.g. 0x87 not authorized);
 *   <li>after every connect and reconnect it subscribes again from its own thread — never from
 *       Paho's — and keeps retrying with backoff until the broker grants every subscription;
 *   <li>it connects in the background when the broker is not reachable at start, so a missing MQTT
 *       broker never stops the gateway from starting (a far peer down must not make it unready).
 * </ul>
 *
 * Camel's own callback still receives every message; its {@code connectComplete} is not called.
 */
public final class GatewayMqttClient extends MqttClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayMqttClient.class);
  private static final long SUBACK_WAIT_MILLIS = 10_000;
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  /** Where the connection stands, as health details show it. */
  public enum State { CONNECTING, CONNECTED, SUBSCRIBED, REFUSED, OFF, CLOSED }

  private final String name;
  private final MqttConnectionOptions options;
  private final Map<String, Integer> subscriptions = new ConcurrentHashMap<>();
  private final ScheduledExecutorService worker;
  private final AtomicInteger generation = new AtomicInteger();
  private final AtomicLong connects = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile MqttCallback camel;
  private volatile State state = State.CONNECTING;
  private volatile String problem;
  private volatile Instant since = Instant.now();

  /**
   * @param name what the connection is for ({@code ratings}, {@code status}, {@code out}), for logs and health
   * @param manualAcks QoS 1 messages are acknowledged only when Camel has finished with them
   */
  public GatewayMqttClient(String name, String serverUri, String clientId, MqttConnectionOptions options, boolean manualAcks)
      throws MqttException {
    super(serverUri, clientId, new MemoryPersistence());
    this.name = name;
    this.options = options;
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hcp-mqtt-" + name);
      t.setDaemon(true);
      return t;
    });
    setManualAcks(manualAcks);
    super.setCallback(new Relay());
  }

  /**
   * Connects now, or keeps trying in the background until the broker is there. A client a Camel
   * consumer uses starts by itself when the consumer sets its callback, so that no message of a
   * resumed session arrives before there is anyone to take it.
   */
  public void start() {
    if (state != State.OFF && started.compareAndSet(false, true)) {
      worker.execute(() -> connect(0));
    }
  }

  private void connect(int attempt) {
    if (state == State.CLOSED || isConnected()) {
      return;
    }
    try {
      super.connect(options);
    } catch (MqttException e) {
      long delay = backoff(attempt);
      moved(State.CONNECTING, "cannot connect to " + getServerURI() + ": " + e.getMessage());
      if (attempt == 0 || attempt % 10 == 0) {
        LOG.warn("MQTT {} ({}): cannot connect to {} ({}); trying again in {} ms", name, getClientId(), getServerURI(),
            e.getMessage(), delay);
      }
      schedule(() -> connect(attempt + 1), delay);
    }
  }

  /** Camel's consumer sets its callback; it gets the messages through this client's own relay. */
  @Override
  public void setCallback(MqttCallback callback) {
    this.camel = callback;
    start();
  }

  /**
   * Records the subscription and makes it now when connected. A refusal is logged, shown in
   * {@link #state()} and retried; it does not fail the route, which would stop the gateway.
   */
  @Override
  public IMqttToken subscribe(String topicFilter, int qos) throws MqttException {
    subscriptions.put(topicFilter, qos);
    if (isConnected()) {
      int g = generation.get();
      worker.execute(() -> resubscribe(g, 0));
    }
    return null;
  }

  @Override
  public void unsubscribe(String topicFilter) throws MqttException {
    subscriptions.remove(topicFilter);
    if (isConnected()) {
      super.unsubscribe(topicFilter);
    }
  }

  /** Subscribes to everything recorded; retries the refused ones until all are granted or the connection changes. */
  private void resubscribe(int forGeneration, int attempt) {
    if (state == State.CLOSED || forGeneration != generation.get() || !isConnected()) {
      return; // a newer connection has its own round of subscriptions
    }
    List<String> refused = new ArrayList<>();
    for (Map.Entry<String, Integer> s : subscriptions.entrySet()) {
      try {
        IMqttToken token = aClient.subscribe(new MqttSubscription[] {new MqttSubscription(s.getKey(), s.getValue())},
            null, null, new MqttProperties());
        token.waitForCompletion(SUBACK_WAIT_MILLIS);
        int[] codes = token.getReasonCodes();
        if (codes == null || codes.length == 0 || codes[0] >= 0x80) {
          refused.add(s.getKey() + " (reason code 0x" + (codes == null || codes.length == 0 ? "??" : Integer.toHexString(codes[0])) + ")");
        }
      } catch (MqttException e) {
        refused.add(s.getKey() + " (" + e.getMessage() + ")");
      }
    }
    if (refused.isEmpty()) {
      if (!subscriptions.isEmpty()) {
        LOG.info("MQTT {} ({}): subscribed to {}", name, getClientId(), subscriptions.keySet());
      }
      moved(subscriptions.isEmpty() ? State.CONNECTED : State.SUBSCRIBED, null);
      return;
    }
    long delay = backoff(attempt);
    moved(State.REFUSED, "not subscribed: " + String.join(", ", refused));
    LOG.error("MQTT {} ({}): could not subscribe to {}; trying again in {} ms", name, getClientId(), refused, delay);
    schedule(() -> resubscribe(forGeneration, attempt + 1), delay);
  }

  /** No broker is configured: this client never connects. */
  public void off() {
    state = State.OFF;
    problem = "no MQTT broker configured (HCP_MQTT_URL, HCP_MQTT_PORT)";
  }

  public State state() {
    return state;
  }

  /** Why the connection is not where it should be, or null. */
  public String problem() {
    return problem;
  }

  public Instant since() {
    return since;
  }

  /** How often this client has connected (first time and reconnections). */
  public long connects() {
    return connects.get();
  }

  public String name() {
    return name;
  }

  /** True when connected and every subscription is granted. */
  public boolean ready() {
    return isConnected() && (state == State.SUBSCRIBED || (state == State.CONNECTED && subscriptions.isEmpty()));
  }

  @Override
  public void close() {
    state = State.CLOSED;
    worker.shutdownNow();
    try {
      if (isConnected()) {
        disconnect();
      }
    } catch (MqttException e) {
      LOG.debug("MQTT {}: disconnecting: {}", name, e.getMessage());
    }
    try {
      super.close();
    } catch (MqttException e) {
      LOG.debug("MQTT {}: closing: {}", name, e.getMessage());
    }
  }

  private void moved(State to, String why) {
    if (state != State.CLOSED) {
      if (state != to) {
        since = Instant.now();
      }
      state = to;
      problem = why;
    }
  }

  private void schedule(Runnable task, long delayMillis) {
    try {
      worker.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // closed meanwhile
    }
  }

  private static long backoff(int attempt) {
    return Math.min(MAX_BACKOFF_MILLIS, 500L << Math.min(attempt, 10));
  }

  /** Paho's one callback: messages to Camel, connection events to this client. */
  private final class Relay implements MqttCallback {

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      connects.incrementAndGet();
      int g = generation.incrementAndGet();
      moved(State.CONNECTED, null);
      if (reconnect) {
        LOG.info("MQTT {} ({}): reconnected to {}", name, getClientId(), serverURI);
      }
      // Never from Paho's callback thread: a SUBACK may need it.
      worker.execute(() -> resubscribe(g, 0));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      moved(State.CONNECTING, "disconnected: " + (response.getException() != null ? response.getException().getMessage() : response.getReasonString()));
      LOG.warn("MQTT {} ({}): connection lost ({}); Paho reconnects", name, getClientId(), problem);
      MqttCallback c = camel;
      if (c != null) {
        c.disconnected(response);
      }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      MqttCallback c = camel;
      if (c != null) {
        c.mqttErrorOccurred(exception);
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
      MqttCallback c = camel;
      if (c == null) {
        // No consumer yet (starting or stopping): throwing makes Paho drop the connection, and the
        // broker keeps the message for the session; it comes again after the reconnect.
        throw new IllegalStateException("no consumer for " + topic + " yet");
      }
      c.messageArrived(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
      MqttCallback c = camel;
      if (c != null) {
        c.deliveryComplete(token);
      }
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
      MqttCallback c = camel;
      if (c != null) {
        c.authPacketArrived(reasonCode, properties);
      }
    }
  }

  /** Connection options the gateway uses for all its MQTT clients. */
  public static MqttConnectionOptions options(String user, String password, boolean cleanStart, Duration sessionExpiry,
      int receiveMaximum, Duration maxReconnectDelay) {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName(user);
    o.setPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    o.setCleanStart(cleanStart);
    if (!cleanStart) {
      o.setSessionExpiryInterval(sessionExpiry.toSeconds());
    }
    o.setAutomaticReconnect(true);
    o.setAutomaticReconnectDelay(1, (int) Math.max(1, maxReconnectDelay.toSeconds()));
    o.setMaxReconnectDelay((int) maxReconnectDelay.toMillis());
    o.setKeepAliveInterval(30);
    o.setConnectionTimeout(10);
    o.setReceiveMaximum(receiveMaximum);
    return o;
  }
}
