package org.haochaping.gateway.sim;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The fault plan in force and the dice that apply it. Thread-safe. */
public final class ProvinceFaults {

  private static final Logger LOG = LoggerFactory.getLogger(ProvinceFaults.class);
  private static final int[] ERROR_STATUSES = {500, 502, 503};

  /** What to do with one request. */
  record Decision(Kind kind, int status, long latencyMs) {
    enum Kind {
      NONE,
      OUTAGE,
      ERROR,
      MALFORMED,
      LOST_ANSWER
    }
  }

  private final Clock clock;
  private final Random random;
  private volatile FaultPlan plan = FaultPlan.none();

  ProvinceFaults(Clock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  public FaultPlan current() {
    return plan;
  }

  public void set(FaultPlan newPlan) {
    plan = newPlan;
    LOG.info("Province simulator faults now {}", newPlan);
  }

  public void clear() {
    set(FaultPlan.none());
  }

  /** Fail every request for {@code duration} from now, answering 503 quickly. */
  public void outageFor(Duration duration) {
    outageFor(duration, FaultPlan.OutageMode.UNAVAILABLE);
  }

  public void outageFor(Duration duration, FaultPlan.OutageMode mode) {
    set(plan.withOutageUntil(clock.instant().plus(duration), mode));
  }

  public boolean inOutage() {
    FaultPlan p = plan;
    return p.outageUntil() != null && clock.instant().isBefore(p.outageUntil());
  }

  Decision decide() {
    FaultPlan p = plan;
    if (p.outageUntil() != null && clock.instant().isBefore(p.outageUntil())) {
      return new Decision(Decision.Kind.OUTAGE, 503, 0);
    }
    long latency = p.latencyMaxMs() == 0 ? 0 : p.latencyMinMs() + (long) (random.nextDouble() * (p.latencyMaxMs() - p.latencyMinMs() + 1));
    latency = Math.min(latency, p.latencyMaxMs());
    double dice = random.nextDouble();
    if (dice < p.errorRate()) {
      return new Decision(Decision.Kind.ERROR, ERROR_STATUSES[random.nextInt(ERROR_STATUSES.length)], latency);
    }
    dice -= p.errorRate();
    if (dice >= 0 && dice < p.malformedRate()) {
      return new Decision(Decision.Kind.MALFORMED, 200, latency);
    }
    dice -= p.malformedRate();
    if (dice >= 0 && dice < p.lostAnswerRate()) {
      return new Decision(Decision.Kind.LOST_ANSWER, 504, latency);
    }
    return new Decision(Decision.Kind.NONE, 200, latency);
  }
}
