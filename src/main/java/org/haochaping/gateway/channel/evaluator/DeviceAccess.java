package org.haochaping.gateway.channel.evaluator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.core.security.CheckType;
import org.haochaping.gateway.broker.BrokerSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may log in to the embedded broker over MQTT, and where each may go (DESIGN §4: "each device
 * may only use its own topics"):
 *
 * <ul>
 *   <li>a device, with its id as user name and the password the registry issued, may publish on its
 *       own {@code hcp/evaluators/{deviceId}/rating} and {@code .../status}, and subscribe under its
 *       own {@code hcp/evaluators/{deviceId}/} (it needs {@code prompt} and {@code ack});
 *   <li>the gateway's own clients (user {@code hcp-gateway}, password from credentials.properties or
 *       HCP_MQTT_PASSWORD) may do anything under {@code hcp/evaluators/};
 *   <li>nobody else, and nobody anonymous.
 * </ul>
 *
 * Artemis asks on every publish (see {@link BrokerSecurity}), so a successful device login is
 * remembered for a few seconds: a disabled device or a renewed password takes effect within that time.
 */
public final class DeviceAccess implements BrokerSecurity.Access {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceAccess.class);
  static final Duration REMEMBER = Duration.ofSeconds(5);

  private record Remembered(byte[] passwordDigest, Optional<BrokerSecurity.Grant> grant, Instant until) {}

  private final DeviceRegistry registry;
  private final String gatewayUser;
  private final byte[] gatewayPassword;
  private final Clock clock;
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

  public DeviceAccess(DeviceRegistry registry, String gatewayUser, String gatewayPassword, Clock clock) {
    this.registry = registry;
    this.gatewayUser = gatewayUser;
    this.gatewayPassword = gatewayPassword.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  @Override
  public Optional<BrokerSecurity.Grant> login(String user, String password) {
    if (gatewayUser.equals(user)) {
      return MessageDigest.isEqual(gatewayPassword, password.getBytes(StandardCharsets.UTF_8))
          ? Optional.of(new GatewayGrant(user)) : Optional.empty();
    }
    if (!EvaluatorTopics.isDeviceId(user)) {
      return Optional.empty();
    }
    byte[] digest = digest(password);
    Instant now = clock.instant();
    Remembered r = remembered.get(user);
    if (r != null && r.until().isAfter(now) && MessageDigest.isEqual(r.passwordDigest(), digest)) {
      return r.grant();
    }
    Optional<BrokerSecurity.Grant> grant;
    try {
      grant = registry.login(user, password).map(d -> new DeviceGrant(d.deviceId()));
    } catch (RuntimeException e) {
      LOG.warn("Evaluator {} cannot log in now, device registry unavailable: {}", user, e.getMessage());
      return Optional.empty();
    }
    if (grant.isPresent()) {
      remembered.put(user, new Remembered(digest, grant, now.plus(REMEMBER)));
    } else {
      remembered.remove(user);
    }
    return grant;
  }

  /** Forgets a device's remembered login at once (disabled, new password): its next action is checked anew. */
  public void forget(String deviceId) {
    remembered.remove(deviceId);
  }

  private static byte[] digest(String password) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A device: its own topics only. */
  record DeviceGrant(String deviceId) implements BrokerSecurity.Grant {
    @Override
    public String name() {
      return deviceId;
    }

    @Override
    public boolean permits(CheckType check, String address) {
      String own = EvaluatorTopics.addressPrefix(deviceId);
      if (!address.startsWith(own)) {
        return false;
      }
      String leaf = address.substring(own.length());
      return switch (check) {
        // The device speaks on rating (its ratings) and status (online/offline, retained, and its last will).
        case SEND -> leaf.equals("rating") || leaf.equals("status");
        // Subscribing to prompt and ack (or anything of its own) creates its subscription queue and,
        // the first time, the address; a clean session removes them again.
        case CONSUME, CREATE_ADDRESS, DELETE_ADDRESS, CREATE_DURABLE_QUEUE, CREATE_NON_DURABLE_QUEUE, DELETE_DURABLE_QUEUE,
            DELETE_NON_DURABLE_QUEUE -> true;
        default -> false;
      };
    }
  }

  /** The gateway's own MQTT clients: every evaluator topic, nothing else. */
  record GatewayGrant(String user) implements BrokerSecurity.Grant {
    @Override
    public String name() {
      return user;
    }

    @Override
    public boolean permits(CheckType check, String address) {
      return address.startsWith(EvaluatorTopics.ADDRESS_ROOT) && check != CheckType.MANAGE;
    }
  }
}
