package org.haochaping.gateway.sms;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the bind to the SMSC stands, for the health check, the metrics and the log: which SMSC,
 * bound or not since when, how many binds and failed attempts, the last error. Written by the
 * transceiver, read by anyone.
 */
public final class SmscLink {

  /** The bind's state. */
  public enum State { STARTING, CONNECTING, BOUND, UNBOUND, STOPPED }

  private final String description;
  private final Clock clock;
  private volatile State state = State.STARTING;
  private volatile Instant since;
  private volatile String smscSystemId;
  private volatile String lastError;
  private volatile long nextAttemptMillis;
  private final AtomicLong binds = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();
  private final AtomicLong submitsInDoubt = new AtomicLong();

  /** @param description e.g. {@code built-in SMSC simulator 127.0.0.1:2775} or {@code smsc.carrier.cn:2775} */
  public SmscLink(String description, Clock clock) {
    this.description = description;
    this.clock = clock;
    this.since = clock.instant();
  }

  public String description() {
    return description;
  }

  public State state() {
    return state;
  }

  public boolean isBound() {
    return state == State.BOUND;
  }

  public long binds() {
    return binds.get();
  }

  void connecting() {
    if (state != State.CONNECTING) {
      move(State.CONNECTING);
    }
  }

  void bound(String smscId) {
    smscSystemId = smscId;
    lastError = null;
    nextAttemptMillis = 0;
    binds.incrementAndGet();
    move(State.BOUND);
  }

  void dropped(String why) {
    drops.incrementAndGet();
    lastError = why;
    move(State.UNBOUND);
  }

  /** A submit_sm written whose submit_sm_resp never came: the SMSC may or may not have it. */
  void submitInDoubt() {
    submitsInDoubt.incrementAndGet();
  }

  /** Parts written whose answer never came, since start: each may reach the handset twice. */
  public long submitsInDoubt() {
    return submitsInDoubt.get();
  }

  void failed(String why, long retryInMillis) {
    failedAttempts.incrementAndGet();
    lastError = why;
    nextAttemptMillis = retryInMillis;
    move(State.UNBOUND);
  }

  void stopped() {
    move(State.STOPPED);
  }

  private void move(State to) {
    state = to;
    since = clock.instant();
  }

  /** What the health check shows; no secret, no personal data. */
  public Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("smsc", description);
    d.put("bind", state.name());
    d.put("since", since.toString());
    if (smscSystemId != null) {
      d.put("smscSystemId", smscSystemId);
    }
    d.put("binds", binds.get());
    d.put("drops", drops.get());
    d.put("failedBindAttempts", failedAttempts.get());
    d.put("submitsInDoubt", submitsInDoubt.get());
    if (lastError != null) {
      d.put("lastError", lastError);
    }
    if (state == State.UNBOUND && nextAttemptMillis > 0) {
      d.put("nextBindAttemptInMillis", nextAttemptMillis);
    }
    return d;
  }
}
