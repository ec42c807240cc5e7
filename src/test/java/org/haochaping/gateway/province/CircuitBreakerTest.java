package org.haochaping.gateway.province;

import org.haochaping.gateway.support.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The breaker keeps calls away from a province that is down and lets one probe find out when it is back. */
class CircuitBreakerTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T02:00:00Z"));
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(1), Duration.ofSeconds(4), clock);

  @Test
  void closedLetsCallsThroughAndFailuresInARowOpenIt() {
    assertThat(breaker.tryAcquire().kind()).isEqualTo(CircuitBreaker.Permit.Kind.CALL);
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess(); // a success in between: the count starts again
    breaker.onFailure();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    CircuitBreaker.Permit p = breaker.tryAcquire();
    assertThat(p.kind()).isEqualTo(CircuitBreaker.Permit.Kind.WAIT);
    assertThat(p.retryAt()).isEqualTo(clock.instant().plusSeconds(1));
  }

  @Test
  void afterTheOpenTimeExactlyOneProbeGoesAndItsVerdictDecides() {
    open();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquire().kind()).isEqualTo(CircuitBreaker.Permit.Kind.PROBE);
    assertThat(breaker.tryAcquire().kind()).as("others wait for the probe").isEqualTo(CircuitBreaker.Permit.Kind.WAIT);
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire().kind()).isEqualTo(CircuitBreaker.Permit.Kind.CALL);
  }

  @Test
  void aFailedProbeOpensItForTwiceAsLongUpToTheMaximum() {
    open();
    long[] expected = {2, 4, 4};
    for (long seconds : expected) {
      clock.advance(Duration.ofSeconds(10));
      assertThat(breaker.tryAcquire().kind()).isEqualTo(CircuitBreaker.Permit.Kind.PROBE);
      breaker.onFailure();
      assertThat(breaker.tryAcquire().retryAt()).isEqualTo(clock.instant().plusSeconds(seconds));
    }
    assertThat(breaker.timesOpened()).isEqualTo(4);
    clock.advance(Duration.ofSeconds(4));
    assertThat(breaker.tryAcquire().kind()).isEqualTo(CircuitBreaker.Permit.Kind.PROBE);
    breaker.onSuccess();
    open(); // the open time starts from the beginning again after the province came back
    assertThat(breaker.tryAcquire().retryAt()).isEqualTo(clock.instant().plusSeconds(1));
  }

  @Test
  void aProbeWithoutVerdictLetsAnotherCallerProbe() {
    open();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquire().kind()).isEqualTo(CircuitBreaker.Permit.Kind.PROBE);
    breaker.release(true);
    assertThat(breaker.tryAcquire().kind()).isEqualTo(CircuitBreaker.Permit.Kind.PROBE);
  }

  private void open() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
  }
}
