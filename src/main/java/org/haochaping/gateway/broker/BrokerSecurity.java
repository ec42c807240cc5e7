package org.haochaping.gateway.broker;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;

/**
 * Who may use the embedded broker, and for what.
 *
 * <ul>
 *   <li>The gateway's own core connections without a user name (the in-VM acceptor, and the core
 *       TCP acceptor that listens on loopback only) are trusted, as they were before MQTT came.
 *   <li>Every other login — every MQTT connection, and any core connection that names a user — is
 *       checked by the {@link Access} a module installs (the evaluator module: devices and the
 *       gateway's own MQTT clients). Each login gets a {@link Grant} that decides, address by
 *       address, what it may do. Anonymous MQTT connections are refused; until a module installs its
 *       access rules, every MQTT login is.
 *   <li>In broker-only mode ({@code java -jar ... broker}, {@link StandaloneBroker}) the core acceptor
 *       listens for other machines: {@link #requireCoreLogin} makes every core connection log in as
 *       the one broker user ({@code HCP_BROKER_USER}/{@code HCP_BROKER_PASSWORD}), and anonymous
 *       connections are refused; other named logins (MQTT devices, the gateways' MQTT clients) go
 *       to the {@link Access} as above.
 * </ul>
 *
 * <p>The embedded broker runs without Artemis's authentication cache (its key ignores the protocol,
 * so an anonymous MQTT client would be taken for the trusted in-VM client): every check asks this
 * class again, and {@link Access} implementations keep their own short cache.
 */
public final class BrokerSecurity implements ActiveMQSecurityManager5 {

  /** The protocol name Artemis gives MQTT connections. */
  static final String MQTT = "MQTT";

  /** Decides logins other than the gateway's own anonymous core connections. */
  public interface Access {
    /** The grant of {@code user} when {@code password} is theirs; empty otherwise (also for unknown or disabled users). */
    Optional<Grant> login(String user, String password);
  }

  /** What one login may do. */
  public interface Grant {
    /** Whom the broker logs and audits, e.g. a device id. */
    String name();

    /**
     * Whether this login may do {@code check} on {@code address}: a core address such as
     * {@code hcp.evaluators.EV-0001.rating} (MQTT topic levels become dot-separated words, {@code +}
     * becomes {@code *}), without any {@code ::queue} part.
     */
    boolean permits(CheckType check, String address);
  }

  private static final class InternalPrincipal implements Principal {
    @Override
    public String getName() {
      return "hcp-internal";
    }
  }

  private record GrantPrincipal(Grant grant) implements Principal {
    @Override
    public String getName() {
      return grant.name();
    }
  }

  private static final Subject INTERNAL = new Subject(true,
      Set.of(new UserPrincipal("hcp-internal"), new InternalPrincipal()), Set.of(), Set.of());

  private volatile Access access;
  private volatile String coreUser;
  private volatile byte[] corePassword;

  /** Installs the rules for named logins (MQTT devices and clients); replaces what was there. */
  public void install(Access rules) {
    this.access = rules;
  }

  /**
   * Broker-only mode: core connections (the gateway nodes) must log in as {@code user} with
   * {@code password}; they may then do anything, as the in-VM client of an embedded broker does.
   * Anonymous core connections are refused from then on. MQTT logins still go to the {@link Access}.
   */
  public void requireCoreLogin(String user, String password) {
    if (user == null || user.isBlank() || password == null || password.isEmpty()) {
      throw new IllegalArgumentException("a broker user and password are required");
    }
    this.corePassword = password.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    this.coreUser = user;
  }

  @Override
  public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
    boolean mqtt = connection != null && MQTT.equalsIgnoreCase(connection.getProtocolName());
    String required = coreUser;
    if (required != null) {
      // Decided by the user name: Artemis re-authenticates for each authorization check, not always
      // with the connection at hand, so the protocol alone cannot tell a gateway node from a device.
      if (required.equals(user)) {
        boolean ok = !mqtt && password != null
            && java.security.MessageDigest.isEqual(corePassword, password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return ok ? INTERNAL : null;
      }
      if (user == null || user.isEmpty()) {
        return null; // nobody anonymous on a broker other machines reach
      }
    }
    if (user == null || user.isEmpty()) {
      // Anonymous: only the gateway's own core connections.
      return mqtt || password != null ? null : INTERNAL;
    }
    Access rules = access;
    if (rules == null) {
      return null;
    }
    return rules.login(user, password == null ? "" : password)
        .map(g -> new Subject(true, Set.of(new UserPrincipal(user), new GrantPrincipal(g)), Set.of(), Set.of()))
        .orElse(null);
  }

  @Override
  public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
    if (subject == null) {
      return false;
    }
    if (!subject.getPrincipals(InternalPrincipal.class).isEmpty()) {
      return true;
    }
    String bare = address == null ? "" : address;
    int fqqn = bare.indexOf("::");
    if (fqqn >= 0) {
      bare = bare.substring(0, fqqn);
    }
    for (GrantPrincipal p : subject.getPrincipals(GrantPrincipal.class)) {
      if (p.grant().permits(checkType, bare)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean validateUser(String user, String password) {
    // Artemis calls authenticate(...) on an ActiveMQSecurityManager5; this older entry point is never used.
    return false;
  }

  @Override
  public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
    return false;
  }
}
