package org.haochaping.gateway.province.envelope;

import org.haochaping.gateway.support.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EnvelopeReplayGuardTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ReplayGuard guard = new ReplayGuard(clock, Duration.ofSeconds(300));

  @Test
  void sameNonceFromAnotherSenderIsNotAReplay() throws Exception {
    guard.remember("a", "n1", clock.instant());
    guard.remember("b", "n1", clock.instant());
    assertThatThrownBy(() -> guard.remember("a", "n1", clock.instant())).isInstanceOf(EnvelopeException.class);
  }

  @Test
  void noncesAreForgottenOnceTheirRequestCanNoLongerBeFresh() throws Exception {
    Instant requestTime = clock.instant();
    guard.remember("a", "n1", requestTime);
    clock.advance(Duration.ofSeconds(302));
    guard.remember("a", "n2", clock.instant()); // triggers a sweep
    assertThat(guard.remembered()).isEqualTo(1);
    assertThatThrownBy(() -> guard.checkFresh(requestTime))
        .isInstanceOfSatisfying(EnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.STALE_TIMESTAMP));
  }

  @Test
  void concurrentReplaysAreAcceptedExactlyOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger accepted = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> refused = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int i = 0; i < 64; i++) {
      pool.execute(
          () -> {
            try {
              start.await();
              guard.remember("a", "same", clock.instant());
              accepted.incrementAndGet();
            } catch (Exception e) {
              refused.add(e);
            }
          });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(accepted).hasValue(1);
    assertThat(refused).hasSize(63).allMatch(EnvelopeException.class::isInstance);
  }
}
