package org.haochaping.gateway.province;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops calling a province that is down, and finds out by itself when it is back.
 *
 * <p>CLOSED: calls go through; {@code failureThreshold} failed calls in a row open the breaker.
 * OPEN: no call is made until the open time has passed; then HALF_OPEN: exactly one caller makes a
 * probe call while the others keep waiting. A successful probe closes the breaker; a failed one
 * opens it again for twice as long, up to {@code maxOpen}. Callers wait in {@link #acquire()}
 * rather than fail, so ratings stay in flight (unacknowledged) and nothing hammers the province.
 */
public final class CircuitBreaker {

  public enum State { CLOSED, OPEN, HALF_OPEN }

  /** What a caller may do now. */
  public record Permit(Kind kind, Instant retryAt) {
    public enum Kind { CALL, PROBE, WAIT }
  }

  private final int failureThreshold;
  private final Duration open;
  private final Duration maxOpen;
  private final Clock clock;

  private State state = State.CLOSED;
  private int failures;
  private Duration openFor;
  private Instant openUntil = Instant.MIN;
  private long opened;

  public CircuitBreaker(int failureThreshold, Duration open, Duration maxOpen, Clock clock) {
    this.failureThreshold = failureThreshold;
    this.open = open;
    this.maxOpen = maxOpen.compareTo(open) < 0 ? open : maxOpen;
    this.openFor = open;
    this.clock = clock;
  }

  /** Without waiting: may a call be made now? */
  public synchronized Permit tryAcquire() {
    Instant now = clock.instant();
    switch (state) {
      case CLOSED:
        return new Permit(Permit.Kind.CALL, now);
      case OPEN:
        if (now.isBefore(openUntil)) {
          return new Permit(Permit.Kind.WAIT, openUntil);
        }
        state = State.HALF_OPEN;
        return new Permit(Permit.Kind.PROBE, now);
      default:
        // a probe is out: wait for its verdict (it notifies), or for one open period at most
        return new Permit(Permit.Kind.WAIT, now.plus(openFor));
    }
  }

  /** Waits until a call may be made; returns true when this caller is the half-open probe. */
  public boolean acquire() throws InterruptedException {
    while (true) {
      Permit p = tryAcquire();
      if (p.kind() != Permit.Kind.WAIT) {
        return p.kind() == Permit.Kind.PROBE;
      }
      long millis = Math.max(1, Duration.between(clock.instant(), p.retryAt()).toMillis());
      synchronized (this) {
        wait(Math.min(millis, 1_000));
      }
    }
  }

  public synchronized void onSuccess() {
    if (state != State.CLOSED) {
      state = State.CLOSED;
      openFor = open;
      notifyAll();
    }
    failures = 0;
  }

  public synchronized void onFailure() {
    Instant now = clock.instant();
    if (state == State.HALF_OPEN) {
      // the probe failed: the province is still down; wait longer before the next probe
      openFor = openFor.multipliedBy(2).compareTo(maxOpen) > 0 ? maxOpen : openFor.multipliedBy(2);
      openUntil = now.plus(openFor);
      state = State.OPEN;
      opened++;
      notifyAll();
      return;
    }
    if (state == State.CLOSED && ++failures >= failureThreshold) {
      state = State.OPEN;
      openFor = open;
      openUntil = now.plus(openFor);
      opened++;
    }
  }

  /**
   * A probe that ended without a verdict (the caller was interrupted or had nothing to say about
   * the province): let another caller probe.
   */
  public synchronized void release(boolean probe) {
    if (probe && state == State.HALF_OPEN) {
      state = State.OPEN;
      openUntil = clock.instant();
      notifyAll();
    }
  }

  public synchronized State state() {
    return state == State.OPEN && !clock.instant().isBefore(openUntil) ? State.HALF_OPEN : state;
  }

  /** How many times the breaker has opened since start. */
  public synchronized long timesOpened() {
    return opened;
  }
}
