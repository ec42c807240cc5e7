package org.haochaping.gateway.province.envelope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receiver-side freshness check: a request's time must lie within ±{@code maxSkew} of the
 * receiver's clock, and each nonce is accepted once while its request could still be fresh.
 *
 * <p>A nonce is remembered until its request's own time plus {@code maxSkew}; after that the
 * timestamp check alone refuses a replay. Memory is therefore bounded by the request rate times
 * the window (about 2.4 M entries at 4,000 req/s and ±300 s).
 */
public final class ReplayGuard {

  /** The window provincial platforms commonly use. */
  public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(300);

  private static final long SWEEP_EVERY_MS = 5_000;

  private final Clock clock;
  private final Duration maxSkew;
  private final ConcurrentHashMap<String, Long> forgetAtMs = new ConcurrentHashMap<>();
  private final AtomicLong nextSweepMs = new AtomicLong();

  public ReplayGuard(Clock clock, Duration maxSkew) {
    this.clock = clock;
    this.maxSkew = maxSkew;
  }

  public Duration maxSkew() {
    return maxSkew;
  }

  /** Refuses a request time further than {@code maxSkew} from now (either direction). */
  public void checkFresh(Instant requestTime) throws EnvelopeException {
    Instant now = clock.instant();
    long skewSeconds = Duration.between(requestTime, now).abs().getSeconds();
    if (skewSeconds > maxSkew.getSeconds()) {
      throw new EnvelopeException(
          EnvelopeException.Reason.STALE_TIMESTAMP,
          "request time " + requestTime + " is " + skewSeconds + " s from now, allowed ±" + maxSkew.getSeconds() + " s");
    }
  }

  /** Accepts {@code nonce} once per sender; call only after the signature has been verified. */
  public void remember(String sender, String nonce, Instant requestTime) throws EnvelopeException {
    long now = clock.millis();
    sweepIfDue(now);
    long forgetAt = requestTime.plus(maxSkew).toEpochMilli() + 1_000;
    if (forgetAtMs.putIfAbsent(sender + '\u0000' + nonce, forgetAt) != null) {
      throw new EnvelopeException(EnvelopeException.Reason.REPLAYED_NONCE, "nonce " + nonce);
    }
  }

  /** Number of nonces currently remembered (for tests and stats). */
  public int remembered() {
    return forgetAtMs.size();
  }

  private void sweepIfDue(long now) {
    long due = nextSweepMs.get();
    if (now >= due && nextSweepMs.compareAndSet(due, now + SWEEP_EVERY_MS)) {
      forgetAtMs.values().removeIf(forgetAt -> forgetAt < now);
    }
  }
}
