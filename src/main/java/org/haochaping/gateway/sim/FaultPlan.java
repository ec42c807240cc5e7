package org.haochaping.gateway.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * The misbehaviour the simulated province shows, applied to {@code /api/*} requests only (never to
 * {@code /sim/*}). Immutable; {@link ProvinceFaults} holds the current one.
 *
 * @param errorRate fraction of requests answered 500, 502 or 503 without processing them
 * @param latencyMinMs added latency, lower bound (records are processed first, then the answer waits)
 * @param latencyMaxMs added latency, upper bound, uniformly random in between
 * @param outageUntil until then every request fails fast, see {@link OutageMode}; null = no outage
 * @param outageMode how an outage shows
 * @param malformedRate fraction answered 200 with an HTML page instead of JSON, not processed
 * @param lostAnswerRate fraction processed (records accepted) but answered 504, as when a proxy
 *     times out: the gateway cannot know its records arrived
 */
public record FaultPlan(
    double errorRate,
    long latencyMinMs,
    long latencyMaxMs,
    Instant outageUntil,
    OutageMode outageMode,
    double malformedRate,
    double lostAnswerRate) {

  /** How an outage looks to the gateway. */
  public enum OutageMode {
    /** Answer {@code 503} at once, without reading the body. */
    UNAVAILABLE,
    /** Close the connection without an answer (the client sees a reset or an early EOF). */
    CLOSE_CONNECTION
  }

  public FaultPlan {
    requireRate(errorRate, "errorRate");
    requireRate(malformedRate, "malformedRate");
    requireRate(lostAnswerRate, "lostAnswerRate");
    if (latencyMinMs < 0 || latencyMaxMs < latencyMinMs) {
      throw new IllegalArgumentException("latency must satisfy 0 <= min <= max, was " + latencyMinMs + ".." + latencyMaxMs);
    }
    if (outageMode == null) {
      outageMode = OutageMode.UNAVAILABLE;
    }
  }

  public static FaultPlan none() {
    return new FaultPlan(0, 0, 0, null, OutageMode.UNAVAILABLE, 0, 0);
  }

  public FaultPlan withErrorRate(double rate) {
    return new FaultPlan(rate, latencyMinMs, latencyMaxMs, outageUntil, outageMode, malformedRate, lostAnswerRate);
  }

  public FaultPlan withLatency(Duration min, Duration max) {
    return new FaultPlan(errorRate, min.toMillis(), max.toMillis(), outageUntil, outageMode, malformedRate, lostAnswerRate);
  }

  public FaultPlan withOutageUntil(Instant until, OutageMode mode) {
    return new FaultPlan(errorRate, latencyMinMs, latencyMaxMs, until, mode, malformedRate, lostAnswerRate);
  }

  public FaultPlan withMalformedRate(double rate) {
    return new FaultPlan(errorRate, latencyMinMs, latencyMaxMs, outageUntil, outageMode, rate, lostAnswerRate);
  }

  public FaultPlan withLostAnswerRate(double rate) {
    return new FaultPlan(errorRate, latencyMinMs, latencyMaxMs, outageUntil, outageMode, malformedRate, rate);
  }

  private static void requireRate(double rate, String name) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, was " + rate);
    }
  }
}
