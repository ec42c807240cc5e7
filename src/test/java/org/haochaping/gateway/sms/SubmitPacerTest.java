package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The TPS arithmetic on a hand-driven clock: the n-th submit starts a second after the (n - tps)-th completed. */
class SubmitPacerTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SubmitPacer pacer = new SubmitPacer(3, now::get);

  @Test
  void tpsSubmitsMayStartAtOnce() {
    assertThat(pacer.tryAcquire()).isEqualTo(0);
    assertThat(pacer.tryAcquire()).isEqualTo(1);
    assertThat(pacer.tryAcquire()).isEqualTo(2);
  }

  @Test
  void theNextWaitsForTheOldestToCompleteAndASecondToPass() {
    long t0 = pacer.tryAcquire();
    pacer.tryAcquire();
    pacer.tryAcquire();
    assertThat(pacer.tryAcquire()).as("first still in flight").isEqualTo(-2);

    pacer.done(t0);
    assertThat(pacer.tryAcquire()).as("first completed just now").isEqualTo(-2);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
    assertThat(pacer.tryAcquire()).isEqualTo(-2);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(pacer.tryAcquire()).isEqualTo(3);
  }

  @Test
  void aSlowResponseDelaysTheWindowFromItsCompletion() {
    long t0 = pacer.tryAcquire();
    pacer.tryAcquire();
    pacer.tryAcquire();
    now.addAndGet(TimeUnit.SECONDS.toNanos(5)); // the first response took five seconds
    pacer.done(t0);
    assertThat(pacer.tryAcquire()).isEqualTo(-2);
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(pacer.tryAcquire()).isEqualTo(3);
  }

  @Test
  void zeroMeansNoLimit() {
    SubmitPacer unlimited = new SubmitPacer(0, now::get);
    for (int i = 0; i < 10_000; i++) {
      assertThat(unlimited.tryAcquire()).isEqualTo(-1);
    }
  }

  @Test
  void acquireBlocksUntilTheWindowAllows() throws Exception {
    SubmitPacer real = new SubmitPacer(2);
    long a = real.acquire();
    long b = real.acquire();
    real.done(a);
    real.done(b);
    long start = System.nanoTime();
    real.acquire();
    // the third may not start until a second after the first completed
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
  }
}
